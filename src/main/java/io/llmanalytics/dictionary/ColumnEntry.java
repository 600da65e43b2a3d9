package io.llmanalytics.dictionary;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a column means, as a person wrote it or as drafted from the data.
 *
 * @param description what the column holds, in plain words (null when none)
 * @param unit the unit of its numbers ({@code €}, {@code %}, {@code kg}); null when none
 * @param synonyms other words for the column that questions may use ("turnover" for {@code revenue})
 * @param values labels of its codes ({@code {"1": "first class"}}), in the codes' order (numeric codes by value,
 *     others as text) whatever order they were sent in; a drafted code column lists its codes unlabelled
 * @param draft true when drafted from the data and not yet edited by a person
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ColumnEntry(
        String description, String unit, List<String> synonyms, Map<String, String> values, Boolean draft) {

    public ColumnEntry {
        synonyms = synonyms == null ? List.of() : List.copyOf(synonyms);
        values = values == null ? Map.of() : ordered(values);
    }

    /** The codes in order: by value when every code is a number, else as text; so prompts and views are stable. */
    private static Map<String, String> ordered(Map<String, String> values) {
        Comparator<String> order = values.keySet().stream().allMatch(ColumnEntry::numeric)
                ? Comparator.comparing((String c) -> new BigDecimal(c.strip()))
                : Comparator.naturalOrder();
        Map<String, String> sorted = new LinkedHashMap<>();
        values.entrySet().stream()
                .filter(e -> e.getKey() != null)
                .sorted(Map.Entry.comparingByKey(order))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static boolean numeric(String code) {
        if (code == null || code.isBlank() || code.length() > 40) {
            return false;
        }
        try {
            new BigDecimal(code.strip());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether the entry says nothing. */
    public boolean empty() {
        return blank(description) && blank(unit) && synonyms.isEmpty() && values.isEmpty();
    }

    /** Whether the entry was drafted from the data. */
    public boolean drafted() {
        return Boolean.TRUE.equals(draft);
    }

    /** The labels that are not blank, by code. */
    public Map<String, String> labels() {
        Map<String, String> labelled = new LinkedHashMap<>();
        values.forEach((code, label) -> {
            if (!blank(label)) {
                labelled.put(code, label.strip());
            }
        });
        return labelled;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
