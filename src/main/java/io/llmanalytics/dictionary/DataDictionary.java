package io.llmanalytics.dictionary;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a dataset means: its description and an entry per described column ({@code PUT .../dictionary}'s body, and what
 * the analysts, prompts and reports read).
 *
 * @param description what the dataset holds (null when none)
 * @param columns entries by exact column name
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataDictionary(String description, Map<String, ColumnEntry> columns) {

    public static final DataDictionary EMPTY = new DataDictionary(null, Map.of());

    public DataDictionary {
        columns = columns == null ? Map.of() : new LinkedHashMap<>(columns);
    }

    /** The entry of a column, if it has one. */
    public Optional<ColumnEntry> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /** The unit of a column, if the dictionary gives one. */
    public Optional<String> unit(String column) {
        return column(column).map(ColumnEntry::unit).filter(u -> !u.isBlank());
    }

    public boolean empty() {
        return ColumnEntry.blank(description) && columns.values().stream().allMatch(ColumnEntry::empty);
    }
}
