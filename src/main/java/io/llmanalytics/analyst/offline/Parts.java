package io.llmanalytics.analyst.offline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything a question said, before deciding what to compute: the conditions, the grouping, the aggregation and
 * ranking words, the columns left to measure, the chart, and the words that could not be placed. {@link Planner}
 * turns parts into a {@link Plan}; {@link FollowUp} merges them into the previous question's plan.
 */
final class Parts {

    /** A yes/no column mentioned as such ("smokers", "survived", "did not survive"). */
    record Flag(Column column, boolean yes, int item) {}

    final List<Filter> filters = new ArrayList<>();
    final List<Column> groups = new ArrayList<>();
    final List<Column> measures = new ArrayList<>();
    final List<Flag> flags = new ArrayList<>();
    final Set<Cue> tasks = EnumSet.noneOf(Cue.class);
    final Set<Plan.Agg> aggs = new LinkedHashSet<>();
    final List<String> problems = new ArrayList<>();
    /** Words of the question that match nothing the analyst knows (reported as {@code unrecognized}). */
    final List<String> unrecognized = new ArrayList<>();
    /**
     * The words that could name several columns, or a value found in several columns: each also a problem; when it is
     * the only one, the analyst asks which was meant ({@link Clarifying}).
     */
    final List<Item> ambiguous = new ArrayList<>();

    /** Whether the question asks for a comparison ("vs", "versus", "compare", "difference"). */
    boolean comparing;
    /** The identifier column of "per order" with a statistic: the statistic of each identified row's total. */
    Column perEntity;
    /** The columns whose product is a derived measure ("stock value" = price × stock), empty when none. */
    final List<String> derived = new ArrayList<>();

    /** A date column to group by (a trend), with the grain if the question named one. */
    Column timeColumn;

    Plan.Grain grain;
    boolean timeGrouping;
    /** The date column itself was grouped by ("revenue by date"). */
    boolean dateNamed;

    /** Chart words: {@code chartAsked} for any, {@code chart} for a named kind. */
    boolean chartAsked;

    Plan.Chart chart;

    /** Ranking: how many, which way, and what is ranked (a column's groups, rows, or periods). */
    Integer limit;

    Boolean highest;
    Cue superlative;
    Column target;
    boolean rowTarget;
    boolean periodTarget;
    boolean asked;

    boolean howMany;
    boolean howMuch;
    String entity;
    boolean followUp;
    /** The question as asked, for suggestions built from it; null when a candidate suggestion is being checked. */
    String question;

    boolean refers;

    /** Whether the question stated anything a follow-up can change. */
    boolean hasChanges() {
        return !filters.isEmpty()
                || !groups.isEmpty()
                || timeGrouping
                || chartAsked
                || !aggs.isEmpty()
                || !measures.isEmpty()
                || limit != null
                || highest != null
                || !flags.isEmpty();
    }

    /** A single explicit aggregation, or null (several are a problem reported by the reader). */
    Plan.Agg agg() {
        return aggs.isEmpty() ? null : aggs.iterator().next();
    }
}
