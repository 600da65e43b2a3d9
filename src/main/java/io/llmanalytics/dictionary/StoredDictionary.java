package io.llmanalytics.dictionary;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dataset's dictionary as stored inside its dataset in the session document: lists rather than maps, so that no
 * column name becomes a field name of the store.
 *
 * @param description the dataset's description, or null
 * @param columns one entry per described column
 * @param dropped columns whose entries were dropped when the dataset was refreshed without them
 */
@RegisterForReflection
public record StoredDictionary(String description, List<Column> columns, List<String> dropped) {

    /** One column's entry. */
    @RegisterForReflection
    public record Column(
            String column, String description, String unit, List<String> synonyms, List<Value> values, Boolean draft) {}

    /** One labelled code. */
    @RegisterForReflection
    public record Value(String code, String label) {}

    public StoredDictionary {
        columns = columns == null ? List.of() : List.copyOf(columns);
        dropped = dropped == null ? List.of() : List.copyOf(dropped);
    }

    public static StoredDictionary of(DataDictionary dictionary, List<String> dropped) {
        List<Column> columns = new ArrayList<>();
        dictionary.columns().forEach((name, e) -> {
            List<Value> values = new ArrayList<>();
            e.values().forEach((code, label) -> values.add(new Value(code, label == null ? "" : label)));
            columns.add(new Column(name, e.description(), e.unit(), e.synonyms(), values, e.drafted() ? true : null));
        });
        return new StoredDictionary(dictionary.description(), columns, dropped);
    }

    public DataDictionary dictionary() {
        Map<String, ColumnEntry> entries = new LinkedHashMap<>();
        for (Column c : columns) {
            Map<String, String> values = new LinkedHashMap<>();
            if (c.values() != null) {
                c.values().forEach(v -> values.put(v.code(), v.label()));
            }
            entries.put(
                    c.column(),
                    new ColumnEntry(
                            c.description(),
                            c.unit(),
                            c.synonyms(),
                            values,
                            Boolean.TRUE.equals(c.draft()) ? true : null));
        }
        return new DataDictionary(description, entries);
    }

    /**
     * The entries of the columns that still exist in a refreshed dataset; the others are listed in {@code dropped}
     * (with those dropped before).
     */
    public StoredDictionary keeping(Set<String> existing) {
        List<Column> kept = new ArrayList<>();
        List<String> gone = new ArrayList<>(dropped);
        for (Column c : columns) {
            if (existing.contains(c.column())) {
                kept.add(c);
            } else if (!gone.contains(c.column())) {
                gone.add(c.column());
            }
        }
        return new StoredDictionary(description, kept, gone);
    }
}
