package io.llmanalytics.dictionary;

import io.llmanalytics.dictionary.IntegerColumns.IntColumn;
import io.llmanalytics.schema.ColumnProfile;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.ValueCount;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drafts a dictionary at upload from what the data shows, never from what a name might mean: a column unique per row
 * with an identifier's name ("identifier, unique per row"), a currency symbol or percent sign written in the values
 * (the unit), a column with few distinct values (its codes listed, labels left empty), a date column's coverage.
 * Every drafted entry is marked {@code draft} until a person edits it.
 *
 * <p>Text columns are drafted from their profile (exact distinct count, most frequent values) and sample rows;
 * integer columns, whose profile has no distinct count, from one pass over the canonical CSV that keeps at most
 * {@code maxCodes + 1} distinct values per column and whether the values only ever increase (then unique): a pass over
 * its bytes that parses only those columns ({@link IntegerColumns}).
 */
public final class DictionaryDrafts {

    private static final Pattern CURRENCY =
            Pattern.compile("^\\s*(?:([€$£¥₹])\\s?-?[\\d.,]+|-?[\\d.,]+\\s?([€$£¥₹]))\\s*$");
    private static final Pattern PERCENT = Pattern.compile("^\\s*-?[\\d.,]+\\s?%\\s*$");
    private static final Set<String> ID_WORDS = Set.of("id", "key", "uuid", "guid", "code", "no", "number", "ref");

    private DictionaryDrafts() {}

    /** The drafts of one dataset; {@code canonical} is its canonical CSV (null: no integer column is scanned). */
    public static StoredDictionary draft(DatasetSchema schema, Path canonical, int maxCodes) {
        return draft(schema, canonical, maxCodes, IntegerPrescan.none());
    }

    /**
     * {@link #draft(DatasetSchema, Path, int)}, the integer columns {@code prescan} already knows of {@code canonical}
     * (gathered by its profile pass) taken from it: the same drafts, with less left to do after the parse.
     */
    public static StoredDictionary draft(DatasetSchema schema, Path canonical, int maxCodes, IntegerPrescan prescan) {
        Map<String, IntColumn> ints = canonical == null ? Map.of() : scanIntegers(schema, canonical, maxCodes, prescan);
        Map<String, ColumnEntry> entries = new LinkedHashMap<>();
        for (ColumnSchema column : schema.columns()) {
            ColumnEntry entry = draft(schema, column, ints.get(column.name()), maxCodes);
            if (entry != null && !entry.empty()) {
                entries.put(column.name(), entry);
            }
        }
        return StoredDictionary.of(new DataDictionary(null, entries), List.of());
    }

    private static ColumnEntry draft(DatasetSchema schema, ColumnSchema column, IntColumn ints, int maxCodes) {
        ColumnProfile p = column.profile();
        long rows = schema.rows();
        switch (column.type()) {
            case DATETIME64 -> {
                if (p != null && p.minDate() != null && p.maxDate() != null) {
                    return entry("dates from " + day(p.minDate()) + " to " + day(p.maxDate()), null, Map.of());
                }
                return null;
            }
            case INT64 -> {
                if (ints == null || rows < 2) {
                    return null;
                }
                if (ints.increasing && idName(column.name())) {
                    return entry("identifier, unique per row", null, Map.of());
                }
                if (ints.values.size() <= maxCodes && ints.values.size() * 2L <= rows && ints.values.size() > 2) {
                    Map<String, String> codes = new LinkedHashMap<>();
                    ints.values.forEach(v -> codes.put(Long.toString(v), ""));
                    return entry(null, null, codes);
                }
                return null;
            }
            case OBJECT -> {
                return text(schema, column, p, maxCodes);
            }
            default -> {
                return null;
            }
        }
    }

    private static ColumnEntry text(DatasetSchema schema, ColumnSchema column, ColumnProfile p, int maxCodes) {
        if (p == null) {
            return null;
        }
        List<String> seen = seenValues(schema, column, p);
        String unit = unit(seen);
        boolean exact = p.distinct() != null && !Boolean.TRUE.equals(p.distinctEstimated());
        if (unit != null) {
            return entry("values written with " + unit + " (stored as text)", unit, Map.of());
        }
        if (exact && p.distinct() == schema.rows() && column.nullCount() == 0 && schema.rows() > 1) {
            return entry(idName(column.name()) ? "identifier, unique per row" : "unique per row", null, Map.of());
        }
        List<ValueCount> top = p.topValues() == null ? List.of() : p.topValues();
        if (exact
                && p.distinct() > 2
                && p.distinct() <= maxCodes
                && p.distinct() * 2 <= schema.rows()
                && top.size() == p.distinct()
                && top.stream().allMatch(v -> v.value().strip().length() <= 4)) {
            Map<String, String> codes = new LinkedHashMap<>();
            new TreeSet<>(top.stream().map(ValueCount::value).toList()).forEach(v -> codes.put(v, ""));
            return entry(null, null, codes);
        }
        return null;
    }

    /** The currency symbol or percent sign most of the seen values are written with, or null. */
    static String unit(List<String> seen) {
        if (seen.isEmpty()) {
            return null;
        }
        Map<String, Integer> units = new LinkedHashMap<>();
        for (String v : seen) {
            Matcher m = CURRENCY.matcher(v);
            if (m.matches()) {
                units.merge(m.group(1) != null ? m.group(1) : m.group(2), 1, Integer::sum);
            } else if (PERCENT.matcher(v).matches()) {
                units.merge("%", 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> u : units.entrySet()) {
            if (u.getValue() * 10 >= seen.size() * 9) {
                return u.getKey();
            }
        }
        return null;
    }

    private static List<String> seenValues(DatasetSchema schema, ColumnSchema column, ColumnProfile p) {
        Set<String> seen = new LinkedHashSet<>();
        if (p.topValues() != null) {
            p.topValues().forEach(v -> seen.add(v.value()));
        }
        if (schema.sample() != null) {
            for (Map<String, Object> row : schema.sample()) {
                if (row.get(column.name()) instanceof String s) {
                    seen.add(s);
                }
            }
        }
        return new ArrayList<>(seen);
    }

    /** Whether the name's last word says it identifies something ({@code PassengerId}, {@code order_no}). */
    static boolean idName(String name) {
        String[] words = name.replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT)
                .split("[^a-z0-9]+");
        return words.length > 0 && ID_WORDS.contains(words[words.length - 1]);
    }

    private static String day(String iso) {
        return iso.length() >= 10 ? iso.substring(0, 10) : iso;
    }

    private static ColumnEntry entry(String description, String unit, Map<String, String> values) {
        return new ColumnEntry(description, unit, List.of(), values, true);
    }

    private static Map<String, IntColumn> scanIntegers(
            DatasetSchema schema, Path canonical, int maxCodes, IntegerPrescan prescan) {
        try {
            return prescan.columns(schema, canonical, maxCodes);
        } catch (IOException | RuntimeException e) {
            Log.infof(
                    "Integer columns of %s not drafted: %s",
                    schema.name(), e.getClass().getSimpleName());
            return Map.of();
        }
    }
}
