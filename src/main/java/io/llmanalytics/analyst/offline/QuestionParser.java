package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.Interaction;
import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.dictionary.DataDictionary;
import io.llmanalytics.schema.DatasetSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Understands a question about a session's datasets: reads it against each dataset (the default one first) and
 * plans it on its own, or, when it only makes sense as a follow-up ("and for Furniture?", "now by region", "show
 * that as a chart"), merges it into the plan of the previous question. Throws {@link NotUnderstood} rather than
 * guess.
 */
final class QuestionParser {

    /** A plan and the dataset it is about (its index in the session; 0 is {@code df}). */
    record Understood(Plan plan, int dataset, Lexicon lexicon) {}

    private QuestionParser() {}

    static Understood understand(String question, List<DatasetSchema> datasets, List<Interaction> context) {
        return understand(question, datasets, context, List.of());
    }

    /**
     * Reads the question against each dataset on its own, then against the default dataset joined with another one
     * through a detected join key whose values are unique in the other dataset (so the join adds columns, never rows).
     */
    static Understood understand(
            String question, List<DatasetSchema> datasets, List<Interaction> context, List<SharedColumn> shared) {
        return understand(question, datasets, context, shared, Map.of());
    }

    /**
     * As {@link #understand(String, List, List, List)}, with the datasets' data dictionaries (by dataset name): their
     * synonyms and value labels are words the question may use.
     */
    static Understood understand(
            String question,
            List<DatasetSchema> datasets,
            List<Interaction> context,
            List<SharedColumn> shared,
            Map<String, DataDictionary> dictionaries) {
        Function<DatasetSchema, Lexicon> lexiconOf =
                d -> Lexicon.of(d, dictionaries.getOrDefault(d.name(), DataDictionary.EMPTY));
        List<String> reasons = new ArrayList<>();
        List<String> unrecognized = new ArrayList<>();
        List<String> suggested = new ArrayList<>();
        Lexicon primaryLexicon = lexiconOf.apply(datasets.get(0));
        for (int i = 0; i < datasets.size(); i++) {
            Lexicon lexicon = i == 0 ? primaryLexicon : lexiconOf.apply(datasets.get(i));
            try {
                Plan plan = plan(question, lexicon, context);
                String entity = plan.scope().entity();
                if (i > 0
                        && entity != null
                        && !primaryLexicon
                                .exact(List.of(Words.singular(Words.fold(entity))))
                                .isEmpty()) {
                    continue; // "regions" names a column of the default dataset, not the rows of this one
                }
                return new Understood(plan, i, lexicon);
            } catch (NotUnderstood e) {
                if (i == 0) {
                    if (e.unrecognized().isEmpty() && !e.suggested().isEmpty()) {
                        // every word was placed in the default dataset and the decline offers its readings: the
                        // question is about this dataset, never re-read against another one where a column word of
                        // this one means nothing ("how many regions" is not the rows of the reps table)
                        throw e;
                    }
                    reasons.addAll(e.reasons());
                    unrecognized.addAll(e.unrecognized());
                    suggested.addAll(e.suggested());
                }
            }
        }
        DatasetSchema primary = datasets.get(0);
        for (SharedColumn key : shared) {
            boolean left = key.leftDataset().equals(primary.name());
            if (!left && !key.rightDataset().equals(primary.name())) {
                continue;
            }
            String otherName = left ? key.rightDataset() : key.leftDataset();
            String ownKey = left ? key.leftColumn() : key.rightColumn();
            String otherKey = left ? key.rightColumn() : key.leftColumn();
            long otherDistinct = left ? key.rightDistinct() : key.leftDistinct();
            DatasetSchema other = datasets.stream()
                    .filter(d -> d.name().equals(otherName))
                    .findFirst()
                    .orElse(null);
            if (other == null || key.sampled() || otherDistinct != other.rows()) {
                continue; // a key that repeats in the other dataset would count rows twice
            }
            Lexicon own = lexiconOf.apply(primary);
            Lexicon theirs = lexiconOf.apply(other);
            Lexicon joined = own.joined(theirs, otherKey);
            try {
                Plan plan = plan(question, joined, List.of());
                List<String> brought = used(plan).stream()
                        .filter(c -> own.column(c).isEmpty())
                        .distinct()
                        .toList();
                if (brought.isEmpty()) {
                    continue;
                }
                return new Understood(
                        plan.withScope(plan.scope().withJoin(new Plan.Join(otherName, ownKey, otherKey, brought))),
                        0,
                        joined);
            } catch (NotUnderstood e) {
                // not through this join either
            }
        }
        throw new NotUnderstood(reasons, unrecognized, suggested);
    }

    /** Every column a plan names. */
    private static List<String> used(Plan plan) {
        return new ArrayList<>(Plan.columns(plan));
    }

    static Plan plan(String question, Lexicon lexicon, List<Interaction> context) {
        Parts parts = new QuestionReader(lexicon).read(question);
        if ((parts.followUp || parts.refers) && partial(parts) && parts.problems.isEmpty() && parts.hasChanges()) {
            // "and quantity?": the previous question with another column, not the quantity on its own
            Plan previous = previous(lexicon, context);
            if (previous != null) {
                try {
                    return new FollowUp(lexicon).merge(parts, previous);
                } catch (NotUnderstood e) {
                    // then it is read as a question of its own
                }
            }
        }
        try {
            return new Planner(lexicon).plan(parts);
        } catch (NotUnderstood standalone) {
            // a question with a statistic of its own ("total sales by category") is never merged into the previous
            // one unless it says it follows up ("what about the median?")
            Plan previous =
                    parts.problems.isEmpty() && parts.hasChanges() && (partial(parts) || parts.followUp || parts.refers)
                            ? previous(lexicon, context)
                            : null;
            if (previous == null) {
                throw standalone;
            }
            try {
                return new FollowUp(lexicon).merge(parts, previous);
            } catch (NotUnderstood asFollowUp) {
                throw parts.followUp || parts.refers ? asFollowUp : standalone;
            }
        }
    }

    /** Whether a question says only what changes: no statistic, count, ranking or task of its own. */
    private static boolean partial(Parts p) {
        return p.aggs.isEmpty()
                && !p.howMany
                && !p.howMuch
                && p.superlative == null
                && p.limit == null
                && p.tasks.stream().allMatch(c -> c == Cue.ROWS);
    }

    /** The plan of the latest previous question about this dataset: from its code's plan comment, or re-read. */
    static Plan previous(Lexicon lexicon, List<Interaction> context) {
        for (int i = context.size() - 1; i >= 0; i--) {
            Interaction interaction = context.get(i);
            Plan plan = PlanComment.read(interaction.code())
                    .filter(p -> about(p, lexicon))
                    .orElse(null);
            if (plan == null && interaction.question() != null) {
                try {
                    plan = new Planner(lexicon).plan(new QuestionReader(lexicon).read(interaction.question()));
                } catch (NotUnderstood e) {
                    plan = null;
                }
            }
            if (plan != null) {
                return plan;
            }
        }
        return null;
    }

    /** Whether every column the plan uses is a column of this dataset. */
    private static boolean about(Plan plan, Lexicon lexicon) {
        if (plan.scope().join() != null) {
            return false;
        }
        List<String> columns = used(plan);
        if (plan.scope().measured() != null) {
            columns.remove(plan.scope().measured());
        }
        return columns.stream().allMatch(c -> lexicon.column(c).isPresent());
    }
}
