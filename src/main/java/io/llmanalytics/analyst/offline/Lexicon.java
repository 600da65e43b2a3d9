package io.llmanalytics.analyst.offline;

import io.llmanalytics.dictionary.ColumnEntry;
import io.llmanalytics.dictionary.DataDictionary;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.ValueCount;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a question can name in one dataset: its columns (by their words, their joined words, close spellings, or part
 * of a longer name) and the text values the schema shows (most frequent values and sample rows of text columns).
 */
final class Lexicon {

    /** Words that never identify a column on their own ("of" in "number_of_runs"). */
    static final Set<String> GENERIC = Set.of(
            "of", "the", "a", "an", "in", "on", "at", "to", "for", "by", "and", "or", "per", "number", "num", "no",
            "total", "count", "value", "data", "is", "with", "from", "name");

    private static final int MAX_VALUE_WORDS = 6;
    private static final int MAX_VALUE_LENGTH = 60;
    private static final Set<String> NOT_VALUES = Set.of(
            "yes", "no", "y", "n", "true", "false", "t", "f", "na", "n/a", "none", "null", "nan", "unknown", "other",
            "-", "?", "all", "total", "x");

    /**
     * A value of a column, with its words: a text value, or a code named by its label in the data dictionary (then
     * {@code label} is that label, else null).
     */
    record Value(Column column, String value, List<String> words, String label) {

        Value(Column column, String value, List<String> words) {
            this(column, value, words, null);
        }
    }

    private final String dataset;
    private final long rows;
    private final List<Column> columns;
    private final List<Value> values;
    /** Synonyms from the data dictionary: the words of each, by column name. */
    private final Map<String, List<List<String>>> synonyms;
    /** What the dictionary made of the question's words ("'turnover' is column revenue"), in order. */
    private final Set<String> mappings = new LinkedHashSet<>();

    Lexicon(String dataset, long rows, List<Column> columns, List<Value> values) {
        this(dataset, rows, columns, values, Map.of());
    }

    Lexicon(
            String dataset,
            long rows,
            List<Column> columns,
            List<Value> values,
            Map<String, List<List<String>>> synonyms) {
        this.dataset = dataset;
        this.rows = rows;
        this.columns = List.copyOf(columns);
        this.values = List.copyOf(values);
        this.synonyms = Map.copyOf(synonyms);
    }

    /**
     * The lexicon of a dataset with its data dictionary: a column's synonyms name it as its own name does, and its
     * value labels name its codes ("first class" for {@code Pclass} 1), each use noted in {@link #mappings()}.
     */
    static Lexicon of(DatasetSchema schema, DataDictionary dictionary) {
        Lexicon plain = of(schema);
        if (dictionary == null || dictionary.columns().isEmpty()) {
            return plain;
        }
        Map<String, List<List<String>>> synonyms = new LinkedHashMap<>();
        List<Value> values = new ArrayList<>();
        for (Column column : plain.columns) {
            ColumnEntry entry = dictionary.columns().get(column.name());
            if (entry == null) {
                continue;
            }
            for (String synonym : entry.synonyms()) {
                List<String> words = Words.nameWords(synonym);
                if (!words.isEmpty()) {
                    synonyms.computeIfAbsent(column.name(), k -> new ArrayList<>())
                            .add(words);
                }
            }
            entry.labels().forEach((code, label) -> {
                List<String> words = Words.nameWords(label);
                if (!words.isEmpty() && words.size() <= MAX_VALUE_WORDS) {
                    values.add(new Value(column, code, words, label));
                }
            });
        }
        // labelled codes first: a label names its code before any value of the same words
        values.addAll(plain.values);
        return new Lexicon(plain.dataset, plain.rows, plain.columns, values, synonyms);
    }

    /** What the dictionary made of the question's words, for the reading. */
    List<String> mappings() {
        return List.copyOf(mappings);
    }

    static Lexicon of(DatasetSchema schema) {
        List<Column> columns = schema.columns().stream().map(Column::of).toList();
        Map<String, Column> byName = new LinkedHashMap<>();
        columns.forEach(c -> byName.put(c.name(), c));
        Map<String, Value> values = new LinkedHashMap<>();
        Set<String> nameWords = new HashSet<>();
        columns.forEach(c -> nameWords.addAll(c.words()));
        for (ColumnSchema c : schema.columns()) {
            if (c.type() != PandasType.OBJECT || byName.get(c.name()).yesNo()) {
                continue;
            }
            Column column = byName.get(c.name());
            if (c.profile() != null && c.profile().topValues() != null) {
                for (ValueCount v : c.profile().topValues()) {
                    addValue(values, column, v.value(), nameWords);
                }
            }
            if (schema.sample() != null) {
                for (Map<String, Object> row : schema.sample()) {
                    if (row.get(c.name()) instanceof String s) {
                        addValue(values, column, s, nameWords);
                    }
                }
            }
        }
        return new Lexicon(schema.name(), schema.rows(), columns, new ArrayList<>(values.values()));
    }

    /**
     * Adds a value, unless it is a word of a column name as well: "hotels" in a table with {@code hotel_name} and
     * {@code hotel_type} names the rows more likely than the type {@code Hotel}, so it is left ambiguous.
     */
    private static void addValue(Map<String, Value> values, Column column, String value, Set<String> nameWords) {
        String trimmed = value.strip();
        if (trimmed.isEmpty()
                || trimmed.length() > MAX_VALUE_LENGTH
                || NOT_VALUES.contains(Words.fold(trimmed))
                || trimmed.matches("[-+.,\\d\\s/:%$]+")) {
            return;
        }
        List<String> words =
                Words.nameWords(trimmed).stream().map(String::toLowerCase).toList();
        if (words.isEmpty()
                || words.size() > MAX_VALUE_WORDS
                || words.size() == 1 && words.get(0).length() < 2
                || words.size() == 1 && nameWords.contains(words.get(0))) {
            return;
        }
        values.putIfAbsent(column.name() + "\u0000" + value, new Value(column, value, words));
    }

    /**
     * This dataset's columns and values with those of {@code other} (except its key and names this one has), for
     * questions that group or filter by a column of a dataset joined on a detected key.
     */
    Lexicon joined(Lexicon other, String otherKey) {
        Set<String> own = new HashSet<>();
        columns.forEach(c -> own.add(c.name()));
        List<Column> more = new ArrayList<>(columns);
        other.columns.stream()
                .filter(c -> !c.name().equals(otherKey) && !own.contains(c.name()))
                .forEach(more::add);
        List<Value> moreValues = new ArrayList<>(values);
        other.values.stream()
                .filter(v -> more.contains(v.column()) && !columns.contains(v.column()))
                .forEach(moreValues::add);
        Map<String, List<List<String>>> moreSynonyms = new LinkedHashMap<>(synonyms);
        other.synonyms.forEach((column, words) -> {
            if (!own.contains(column) && !column.equals(otherKey)) {
                moreSynonyms.put(column, words);
            }
        });
        return new Lexicon(dataset, rows, more, moreValues, moreSynonyms);
    }

    /** The identifier column of the rows a word names ("order" → {@code order_id}), or null. */
    Column idFor(String word) {
        String stem = Words.singular(Words.fold(word));
        return columns.stream()
                .filter(c -> c.identifier() && !c.date() && c.words().equals(List.of(stem, "id")))
                .findFirst()
                .orElse(null);
    }

    String dataset() {
        return dataset;
    }

    long rows() {
        return rows;
    }

    /** Whether every row has its own value in this column (so grouping by it changes nothing). */
    boolean unique(Column column) {
        return column.distinct() != null && column.distinct() == rows && column.text();
    }

    List<Column> columns() {
        return columns;
    }

    List<Value> values() {
        return values;
    }

    Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    List<Column> dateColumns() {
        return columns.stream().filter(Column::date).toList();
    }

    /** Columns whose name is exactly these words ({@code wind speed}, {@code windspeed}, {@code wind_speed}). */
    List<Column> exact(List<String> words) {
        String joined = String.join("", words);
        List<Column> found = new ArrayList<>();
        for (Column c : columns) {
            if (c.words().equals(words) || c.joined().equals(joined) && !joined.isEmpty()) {
                found.add(c);
            }
        }
        List<Column> named = synonymOf(words);
        if (!named.isEmpty()) {
            // a synonym that is also (part of) another column's name is ambiguous: both are offered, none is guessed
            for (Column c : partial(words)) {
                if (!found.contains(c)) {
                    found.add(c);
                }
            }
            for (Column c : named) {
                if (!found.contains(c)) {
                    found.add(c);
                }
            }
            if (found.size() == 1) {
                mappings.add("'" + String.join(" ", words) + "' is column "
                        + found.get(0).name() + " (a synonym in the data dictionary)");
            }
        }
        return found;
    }

    /** Columns that have these words as a synonym in the data dictionary. */
    private List<Column> synonymOf(List<String> words) {
        if (synonyms.isEmpty() || words.isEmpty()) {
            return List.of();
        }
        String joined = String.join("", words);
        List<Column> found = new ArrayList<>();
        for (Column c : columns) {
            for (List<String> synonym : synonyms.getOrDefault(c.name(), List.of())) {
                if (synonym.equals(words) || String.join("", synonym).equals(joined)) {
                    found.add(c);
                    break;
                }
            }
        }
        return found;
    }

    /** Columns whose name is these words with slips of the pen ({@code reveune}, {@code wind sped}). */
    List<Column> close(List<String> words) {
        String joined = String.join("", words);
        List<Column> found = new ArrayList<>();
        for (Column c : columns) {
            boolean wordwise = c.words().size() == words.size() && c.words().size() > 0;
            for (int i = 0; wordwise && i < words.size(); i++) {
                wordwise = Words.close(c.words().get(i), words.get(i));
            }
            boolean joinedClose = words.size() > 1 && Words.close(c.joined(), joined);
            boolean prefixed = words.size() == 1
                    && c.words().size() == 1
                    && joined.length() >= 4
                    && c.joined().endsWith(joined)
                    && c.joined().length() - joined.length() <= 2;
            boolean abbreviated = words.size() > 1 && c.words().size() == 1 && abbreviates(c.joined(), words);
            String name = c.joined();
            boolean shortened = words.size() == 1
                    && c.words().size() == 1
                    && Character.isLetter(joined.charAt(0))
                    && (joined.startsWith(name) && name.length() >= 4 && joined.length() - name.length() <= 6
                            || name.startsWith(joined) && joined.length() >= 4); // educ/education, temp/temperature
            abbreviated |= shortened;
            if (wordwise || joinedClose || prefixed || abbreviated) {
                found.add(c);
            }
        }
        return found;
    }

    /**
     * Whether {@code name} is made of the beginnings of each of the words, in order ({@code lifeexp} for "life
     * expectancy", {@code gdppercap} for "gdp per capita"); each beginning is the whole word or 3+ letters of it.
     */
    static boolean abbreviates(String name, List<String> words) {
        if (words.isEmpty()) {
            return name.isEmpty();
        }
        String word = words.get(0);
        for (int n = Math.min(word.length(), name.length()); n >= Math.min(3, word.length()); n--) {
            if (word.startsWith(name.substring(0, n))
                    && abbreviates(name.substring(n), words.subList(1, words.size()))) {
                return true;
            }
        }
        return false;
    }

    /** Columns with these words inside a longer name ({@code home runs} in {@code number_of_home_runs}). */
    List<Column> partial(List<String> words) {
        if (words.stream().allMatch(GENERIC::contains)) {
            return List.of();
        }
        List<Column> found = new ArrayList<>();
        boolean rowsNamed = false;
        for (Column c : columns) {
            if (c.identifier()
                    && !c.date()
                    && c.words().size() == words.size() + 1
                    && c.words().subList(0, words.size()).equals(words)
                    && Vocabulary.ROW_WORDS.contains(Words.singular(String.join(" ", words)))) {
                rowsNamed = true; // "order" names the rows (identified by order_id), never order_date
            }
        }
        for (Column c : columns) {
            if (c.identifier() || rowsNamed && c.date()) {
                continue; // "passengers" names the rows, not PassengerId
            }
            if (c.words().size() > words.size() && Collections.indexOfSubList(c.words(), words) >= 0) {
                found.add(c);
            }
        }
        return found;
    }

    /** Everyday words for the values of a sex or gender column. */
    private static final Map<String, String> SYNONYMS = Map.ofEntries(
            Map.entry("man", "male"),
            Map.entry("boy", "male"),
            Map.entry("gentleman", "male"),
            Map.entry("guy", "male"),
            Map.entry("woman", "female"),
            Map.entry("girl", "female"),
            Map.entry("lady", "female"));

    /** Known values that are exactly these words (case and plural aside), with their columns. */
    List<Value> valuesOf(List<String> words, String raw) {
        if (words.size() == 1 && SYNONYMS.containsKey(words.get(0))) {
            List<Value> found = valuesOf(List.of(SYNONYMS.get(words.get(0))), SYNONYMS.get(words.get(0)));
            if (!found.isEmpty()) {
                return found;
            }
        }
        List<Value> found = new ArrayList<>();
        String folded = Words.fold(raw).strip();
        for (Value v : values) {
            if (v.label() != null
                    ? v.words().equals(words)
                    : v.words().equals(words) || Words.fold(v.value()).strip().equals(folded)) {
                found.add(v);
            }
        }
        if (found.size() == 1 && found.get(0).label() != null) {
            Value v = found.get(0);
            mappings.add("'" + raw + "' is `" + v.column().name() + " == " + v.value()
                    + "` (a value label in the data dictionary)");
        }
        return found;
    }

    /** Known one-word values written with a slip ({@code Electroncs}). */
    List<Value> closeValues(String word) {
        List<Value> found = new ArrayList<>();
        if (word.length() < 5) {
            return found;
        }
        for (Value v : values) {
            if (v.words().size() == 1
                    && v.words().get(0).length() >= 5
                    && Words.close(v.words().get(0), word)) {
                found.add(v);
            }
        }
        return found;
    }

    /** The distinct columns of some values. */
    static List<Column> columnsOf(List<Value> values) {
        Set<Column> columns = new LinkedHashSet<>();
        values.forEach(v -> columns.add(v.column()));
        return List.copyOf(columns);
    }
}
