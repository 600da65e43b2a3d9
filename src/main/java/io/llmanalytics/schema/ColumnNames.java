package io.llmanalytics.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Column names as pandas makes them: blank names become {@code Unnamed: i}, duplicates {@code a.1}, {@code a.2}. */
public final class ColumnNames {

    private ColumnNames() {}

    public static List<String> normalise(List<String> raw) {
        List<String> names = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String name = raw.get(i);
            names.add(name == null || name.isEmpty() ? "Unnamed: " + i : name);
        }
        return dedupe(names);
    }

    /** pandas 1.5's {@code _dedup_names}. */
    static List<String> dedupe(List<String> names) {
        Map<String, Integer> counts = new HashMap<>();
        List<String> out = new ArrayList<>(names.size());
        for (String original : names) {
            String col = original;
            int cur = counts.getOrDefault(col, 0);
            while (cur > 0) {
                counts.put(col, cur + 1);
                col = col + "." + cur;
                cur = counts.getOrDefault(col, 0);
            }
            out.add(col);
            counts.put(col, cur + 1);
        }
        return out;
    }
}
