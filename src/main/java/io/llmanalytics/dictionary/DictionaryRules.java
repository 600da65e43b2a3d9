package io.llmanalytics.dictionary;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a dictionary against its dataset and the configured limits, and names every problem at once: an unknown
 * column, a text over its limit, too many synonyms or values, a code that is not a number in a numeric column, a
 * synonym given to two columns, a synonym that is another column's name.
 */
public final class DictionaryRules {

    private static final int SHOWN = 60;

    private final DictionaryConfig config;

    public DictionaryRules(DictionaryConfig config) {
        this.config = config;
    }

    /** Fails with a 400 naming every problem of {@code dictionary} for {@code schema}. */
    public void check(DatasetSchema schema, DataDictionary dictionary) {
        List<String> problems = problems(schema, dictionary);
        if (!problems.isEmpty()) {
            StringBuilder detail = new StringBuilder("The dictionary of dataset " + quoted(schema.name()) + " has ")
                    .append(problems.size() == 1 ? "a problem: " : problems.size() + " problems: ");
            for (int i = 0; i < problems.size(); i++) {
                detail.append(i > 0 ? "; " : "")
                        .append(problems.size() > 1 ? (i + 1) + ") " : "")
                        .append(problems.get(i));
            }
            detail.append(". Correct them and send the dictionary again (nothing was changed).");
            throw new ProblemException(ProblemType.BAD_REQUEST, detail.toString());
        }
    }

    List<String> problems(DatasetSchema schema, DataDictionary dictionary) {
        List<String> problems = new ArrayList<>();
        tooLong(problems, "the dataset's description", dictionary.description(), config.maxDatasetDescription());
        Map<String, String> synonymOwner = new HashMap<>();
        Map<String, String> columnByFolded = new HashMap<>();
        schema.columns().forEach(c -> columnByFolded.put(fold(c.name()), c.name()));
        dictionary.columns().forEach((name, entry) -> {
            Optional<ColumnSchema> column = schema.column(name);
            if (column.isEmpty()) {
                problems.add("column " + quoted(name) + " is not a column of this dataset");
                return;
            }
            if (entry == null) {
                return;
            }
            String c = "column " + quoted(name);
            tooLong(problems, c + ": the description", entry.description(), config.maxDescription());
            tooLong(problems, c + ": the unit", entry.unit(), config.maxUnit());
            if (entry.synonyms().size() > config.maxSynonyms()) {
                problems.add(c + " has " + entry.synonyms().size() + " synonyms, at most " + config.maxSynonyms()
                        + " are allowed");
            }
            for (String synonym : entry.synonyms()) {
                if (synonym == null || synonym.isBlank()) {
                    problems.add(c + " has an empty synonym");
                    continue;
                }
                tooLong(problems, c + ": the synonym " + quoted(synonym), synonym, config.maxSynonymLength());
                String folded = fold(synonym);
                String other = columnByFolded.get(folded);
                if (other != null && !other.equals(name)) {
                    problems.add(c + ": the synonym " + quoted(synonym) + " is the name of column " + quoted(other));
                }
                String owner = synonymOwner.putIfAbsent(folded, name);
                if (owner != null && !owner.equals(name)) {
                    problems.add("the synonym " + quoted(synonym) + " is given to both " + quoted(owner) + " and "
                            + quoted(name) + "; a word may name one column only");
                }
            }
            if (entry.values().size() > config.maxValues()) {
                problems.add(c + " has " + entry.values().size() + " labelled values, at most " + config.maxValues()
                        + " are allowed");
            }
            boolean numeric = column.get().type().numeric();
            for (Map.Entry<String, String> v : entry.values().entrySet()) {
                String code = v.getKey();
                tooLong(problems, c + ": the code " + quoted(code), code, config.maxValueLength());
                tooLong(problems, c + ": the label of " + quoted(code), v.getValue(), config.maxValueLength());
                if (numeric && !number(code)) {
                    problems.add(c + ": the code " + quoted(code) + " is not a number, and the column holds "
                            + column.get().dtype() + " values");
                }
            }
        });
        return problems;
    }

    private void tooLong(List<String> problems, String what, String text, int max) {
        if (text != null && text.length() > max) {
            problems.add(what + " has " + text.length() + " characters, at most " + max + " are allowed");
        }
    }

    /** Case, spaces and underscores aside: {@code Unit Price} and {@code unit_price} are one name. */
    static String fold(String s) {
        return s.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]+", " ");
    }

    private static boolean number(String code) {
        try {
            return Double.isFinite(Double.parseDouble(code.strip()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String quoted(String s) {
        String t = s == null ? "" : s;
        return "'" + (t.length() > SHOWN ? t.substring(0, SHOWN) + "..." : t) + "'";
    }
}
