package io.llmanalytics.analyst.openai;

import io.llmanalytics.dictionary.ColumnEntry;
import io.llmanalytics.dictionary.DataDictionary;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.ValueCount;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the schema part of a prompt costs and which columns a question needs in full.
 *
 * <p><b>Token estimate.</b> No tokenizer of the model is at hand, so the count is a conservative estimate: the larger
 * of (a) the characters divided by 3.5 and (b) a count of BPE-like pieces, where a run of letters counts one piece
 * per 6 letters (rounded up), a run of digits one per 3 digits, and every other non-space character one piece
 * (JSON quotes, commas, brackets, escapes). For English prose and for the JSON-quoted names of this prompt, real
 * tokenizers (cl100k, o200k) give fewer tokens than either, so a schema within the estimate is within the budget.
 *
 * <p><b>Relevance.</b> A column is needed in full when the question contains its name (as words: {@code unit price}
 * for {@code unit_price} or {@code UnitPrice}, plural aside), one of its synonyms or value labels from the
 * dictionary; after those, up to {@value #MAX_LOOSE} columns whose description words (5+ letters) or most frequent
 * values occur in the question.
 */
public final class SchemaBudget {

    static final int MAX_LOOSE = 12;
    private static final Pattern PIECE = Pattern.compile("\\p{L}+|\\p{N}+|\\S");
    private static final Set<String> STOP = Set.of(
            "which", "where", "their", "there", "these", "those", "about", "value", "values", "number", "column",
            "columns", "total", "count", "average", "what", "show", "given", "every", "other");

    private SchemaBudget() {}

    /** The estimated tokens of {@code text} (see the class comment). */
    public static int tokens(String text) {
        int pieces = 0;
        Matcher m = PIECE.matcher(text);
        while (m.find()) {
            String p = m.group();
            char c = p.charAt(0);
            if (Character.isLetter(c)) {
                pieces += (p.length() + 5) / 6;
            } else if (Character.isDigit(c)) {
                pieces += (p.length() + 2) / 3;
            } else {
                pieces++;
            }
        }
        int byChars = (int) Math.ceil(text.length() / 3.5);
        return Math.max(pieces, byChars);
    }

    /** The columns of {@code schema} the question needs in full, in schema order. */
    public static Set<String> relevant(String question, DatasetSchema schema, DataDictionary dictionary) {
        String text = " " + String.join(" ", words(question)) + " ";
        Set<String> questionWords = new HashSet<>(words(question));
        Set<String> named = new LinkedHashSet<>();
        Set<String> loose = new LinkedHashSet<>();
        for (ColumnSchema column : schema.columns()) {
            ColumnEntry entry = dictionary.columns().get(column.name());
            if (contains(text, column.name())
                    || entry != null
                            && (entry.synonyms().stream().anyMatch(s -> contains(text, s))
                                    || entry.labels().values().stream().anyMatch(l -> contains(text, l)))) {
                named.add(column.name());
                continue;
            }
            boolean described = entry != null
                    && entry.description() != null
                    && words(entry.description()).stream()
                            .anyMatch(w -> w.length() >= 5 && !STOP.contains(w) && questionWords.contains(w));
            boolean valued = column.profile() != null
                    && column.profile().topValues() != null
                    && column.profile().topValues().stream()
                            .map(ValueCount::value)
                            .anyMatch(v -> v.strip().length() >= 3 && contains(text, v));
            if (described || valued) {
                loose.add(column.name());
            }
        }
        Set<String> all = new LinkedHashSet<>();
        for (ColumnSchema column : schema.columns()) {
            if (named.contains(column.name())) {
                all.add(column.name());
            }
        }
        loose.stream().limit(MAX_LOOSE).forEach(all::add);
        return all;
    }

    /** Whether the words of {@code phrase} occur together in {@code text} (words joined by single spaces). */
    private static boolean contains(String text, String phrase) {
        List<String> w = words(phrase);
        if (w.isEmpty()) {
            return false;
        }
        String joined = String.join(" ", w);
        return text.contains(" " + joined + " ") || text.contains(" " + joined + "s ");
    }

    /** Lower-case words, split at spaces, punctuation, underscores and camel case; a trailing plural s dropped. */
    static List<String> words(String text) {
        String split = text.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return Pattern.compile("[^\\p{L}\\p{N}]+")
                .splitAsStream(split)
                .filter(w -> !w.isEmpty())
                .map(w -> w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w)
                .toList();
    }
}
