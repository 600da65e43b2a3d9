package io.llmanalytics.analyst.offline;

import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.ValueCount;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Example questions for one dataset, built from its own columns and values. Only questions the offline analyst
 * understands are offered (each candidate goes through the parser), so every suggestion can be asked as is.
 */
public final class Suggestions {

    private static final int MAX_GROUPS = 25;

    /** Amount words people ask about first. */
    private static final List<String> PREFERRED = List.of("revenue", "sale", "amount", "profit", "spend", "turnover");

    private Suggestions() {}

    private static int preference(Column c) {
        for (int i = 0; i < PREFERRED.size(); i++) {
            if (c.words().contains(PREFERRED.get(i))) {
                return i;
            }
        }
        return PREFERRED.size();
    }

    /**
     * The questions closest to one that was not understood: the question with its unrecognized words replaced by a
     * column to group by, or left out, then the dataset's examples; each checked to parse into a plan.
     */
    static List<String> closest(String question, List<String> unrecognized, DatasetSchema schema, int max) {
        Lexicon lexicon = Lexicon.of(schema);
        Set<String> candidates = new LinkedHashSet<>();
        if (question != null && !unrecognized.isEmpty()) {
            String pattern = "(?i)\\b(?:by |per |for each |for )(?:"
                    + String.join("|", unrecognized.stream().map(Pattern::quote).toList()) + ")\\b";
            lexicon.columns().stream()
                    .filter(c -> c.text()
                            && !c.yesNo()
                            && c.distinct() != null
                            && c.distinct() > 1
                            && c.distinct() <= MAX_GROUPS)
                    .sorted(Comparator.comparingLong(Column::distinct))
                    .limit(3)
                    .forEach(g -> candidates.add(question.replaceAll(pattern, "by " + g.name())
                            .replaceAll("\\s+", " ")
                            .strip()));
            candidates.add(
                    question.replaceAll(pattern, " ").replaceAll("\\s+", " ").strip());
        }
        List<String> understood = new ArrayList<>();
        for (String candidate : candidates) {
            if (understood.size() < max && !candidate.equalsIgnoreCase(question) && parses(lexicon, candidate)) {
                understood.add(candidate);
            }
        }
        for (String example : of(schema, max)) {
            if (understood.size() < max && !understood.contains(example)) {
                understood.add(example);
            }
        }
        return understood;
    }

    /** Whether a candidate question parses into a plan (checked without building suggestions of its own). */
    static boolean parses(Lexicon lexicon, String question) {
        try {
            Parts parts = new QuestionReader(lexicon).read(question);
            parts.question = null;
            new Planner(lexicon).plan(parts);
            return true;
        } catch (NotUnderstood e) {
            return false;
        }
    }

    public static List<String> of(DatasetSchema schema, int max) {
        Lexicon lexicon = Lexicon.of(schema);
        List<Column> columns = lexicon.columns();
        Optional<Column> measure = columns.stream()
                .filter(Planner::additive)
                .min(Comparator.comparingInt(Suggestions::preference))
                .or(() -> columns.stream()
                        .filter(c -> c.measure() && c.type() == PandasType.FLOAT64)
                        .findFirst())
                .or(() -> columns.stream().filter(Column::measure).findFirst());
        Optional<Column> other = columns.stream()
                .filter(Column::measure)
                .filter(c -> measure.isEmpty() || !c.equals(measure.get()))
                .findFirst();
        Optional<Column> group = columns.stream()
                .filter(c -> c.text()
                        && !c.yesNo()
                        && c.distinct() != null
                        && c.distinct() > 1
                        && c.distinct() <= MAX_GROUPS)
                .min(Comparator.comparingLong(Column::distinct));
        Optional<Column> date = columns.stream().filter(Column::date).findFirst();
        Optional<String> value = group.flatMap(g -> schema.column(g.name()))
                .flatMap(c -> Optional.ofNullable(c.profile().topValues())
                        .flatMap(t -> t.stream().findFirst()))
                .map(ValueCount::value);

        Set<String> candidates = new LinkedHashSet<>();
        measure.ifPresent(m -> {
            String stat = Planner.additive(m) ? "total" : "average";
            group.ifPresent(g -> candidates.add("What is the " + stat + " " + m.name() + " by " + g.name() + "?"));
            date.ifPresent(d -> candidates.add("Show the " + stat + " " + m.name() + " per month as a line chart"));
            group.ifPresent(g -> candidates.add("Which " + g.name() + " has the highest average " + m.name() + "?"));
            value.ifPresent(v -> candidates.add("What is the average " + m.name() + " for " + v + "?"));
            other.ifPresent(
                    o -> candidates.add("What is the correlation between " + m.name() + " and " + o.name() + "?"));
            candidates.add("Show the distribution of " + m.name());
            candidates.add("Top 5 rows by " + m.name());
        });
        group.ifPresent(g -> candidates.add("How many rows are there for each " + g.name() + "?"));
        candidates.add("How many rows are there?");
        candidates.add("Which columns have missing values?");
        candidates.add("Give me a summary of the data");

        List<String> understood = new ArrayList<>();
        for (String question : candidates) {
            if (understood.size() >= max) {
                break;
            }
            try {
                new Planner(lexicon).plan(new QuestionReader(lexicon).read(question));
                understood.add(question);
            } catch (NotUnderstood e) {
                // a column name the parser reads differently: not offered
            }
        }
        return understood;
    }
}
