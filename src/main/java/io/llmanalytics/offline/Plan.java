package io.llmanalytics.offline;

import java.util.ArrayList;
import java.util.List;

/**
 * What the offline analyst understood a question to ask, independent of how it is computed. Written into the
 * generated code as a comment (see {@link PlanComment}) so that follow-up questions and the interpretation can read it
 * back.
 *
 * @param task what to compute
 * @param column the measured or listed column; null when rows are counted or the whole table is meant
 * @param agg how values are combined ({@link Task#AGGREGATE}, {@link Task#TREND}, ranked groups); null otherwise
 * @param groupBy zero to two columns to group by
 * @param date the date column of a trend
 * @param grain the period of a trend
 * @param filters conditions on rows, all of which must hold
 * @param limit how many rows or groups to keep (top/bottom N); null for all
 * @param ascending whether the smallest come first
 * @param other the second column of a correlation
 * @param chart the chart to draw
 * @param entity what the rows are called in the question ("passengers"), for the explanation; may be null
 * @param condition for {@link Task#SHARE}: the rows whose share is asked ("survived"); null for the share of each group
 * @param sides for {@link Task#COMPARE}: one condition per side ("region is East", "region is West")
 * @param inherited the filters carried over from the previous question by a follow-up (a subset of {@code filters})
 * @param derived the columns whose product is the measured {@code column} ("stock value" = price × stock); empty when
 *        {@code column} is a column of the data
 * @param join the columns of another dataset this plan brings in; null when none
 */
@io.quarkus.runtime.annotations.RegisterForReflection
record Plan(Task task, String column, Agg agg, List<String> groupBy, String date, Grain grain, List<Filter> filters,
        Integer limit, boolean ascending, String other, Chart chart, String entity, Filter condition,
        List<Filter> sides, List<Filter> inherited, List<String> derived, Join join) {

    /**
     * Columns of another dataset of the session, brought in through a detected join key (a left merge on a key that is
     * unique in the other dataset, so no row is duplicated).
     *
     * @param dataset the other dataset's name ({@code dfs[dataset]})
     * @param leftKey the key column of this dataset
     * @param rightKey the key column of the other dataset
     * @param columns the other dataset's columns the plan uses
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    record Join(String dataset, String leftKey, String rightKey, List<String> columns) {
        Join {
            columns = columns == null ? List.of() : List.copyOf(columns);
        }
    }

    enum Task {
        /** Rows (matching the filters), overall or per group. */
        COUNT,
        /** {@code agg} of {@code column}, overall or per group, optionally ranked and cut at {@code limit}. */
        AGGREGATE,
        /** The rows with the largest (or smallest) {@code column}. */
        TOP_ROWS,
        /** Each group's percentage of the total of {@code column} (rows when null), or the share of matching rows. */
        SHARE,
        /** The distinct values of {@code column}. */
        VALUES,
        /** The column names and their types. */
        COLUMNS,
        /** Rows and columns. */
        SHAPE,
        /** Missing values per column, or of {@code column}. */
        MISSING,
        /** Summary statistics of the table or of {@code column}. */
        DESCRIBE,
        /** The correlation of {@code column} and {@code other}. */
        CORRELATION,
        /** The strongest correlations, among all numeric columns or with {@code column}. */
        CORRELATIONS,
        /** {@code agg} of {@code column} (rows when null) per {@code grain} of {@code date}. */
        TREND,
        /** How the values of {@code column} are distributed. */
        DISTRIBUTION,
        /** Values of {@code column} outside 1.5 interquartile ranges from the quartiles. */
        OUTLIERS,
        /** The first {@code limit} rows ({@code ascending}) or the last. */
        HEAD,
        /** The value of {@code column} in the rows the filters pick ("the price of Laptop"): one value or a list. */
        VALUE,
        /** {@code agg} of {@code column} (rows when null) for each of the {@code sides}, with their difference and ratio. */
        COMPARE
    }

    enum Agg {
        SUM("total", "sum"), MEAN("average", "mean"), MEDIAN("median", "median"), MIN("minimum", "min"),
        MAX("maximum", "max"), STD("standard deviation", "std"), VAR("variance", "var"),
        NUNIQUE("number of distinct values of", "nunique"), COUNT("count", "count");

        private final String words;
        private final String method;

        Agg(String words, String method) {
            this.words = words;
            this.method = method;
        }

        /** How the explanation names it. */
        String words() {
            return words;
        }

        /** The pandas method. */
        String method() {
            return method;
        }
    }

    enum Grain {
        DAY("D", "day", "daily"), WEEK("W", "week", "weekly"), MONTH("M", "month", "monthly"),
        QUARTER("Q", "quarter", "quarterly"), YEAR("Y", "year", "yearly");

        private final String code;
        private final String noun;
        private final String adjective;

        Grain(String code, String noun, String adjective) {
            this.code = code;
            this.noun = noun;
            this.adjective = adjective;
        }

        /** The pandas period alias. */
        String code() {
            return code;
        }

        String noun() {
            return noun;
        }

        String adjective() {
            return adjective;
        }
    }

    enum Chart {
        NONE, BAR, LINE, PIE, HISTOGRAM, SCATTER
    }

    Plan {
        groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
        filters = filters == null ? List.of() : List.copyOf(filters);
        chart = chart == null ? Chart.NONE : chart;
        sides = sides == null ? List.of() : List.copyOf(sides);
        inherited = inherited == null ? List.of() : List.copyOf(inherited);
        derived = derived == null ? List.of() : List.copyOf(derived);
    }

    static Plan of(Task task) {
        return new Plan(task, null, null, List.of(), null, null, List.of(), null, false, null, Chart.NONE, null, null,
                List.of(), List.of(), List.of(), null);
    }

    Plan withTask(Task t) {
        return new Plan(t, column, agg, groupBy, date, grain, filters, limit, ascending, other, chart, entity, condition,
                sides, inherited, derived, join);
    }

    Plan withColumn(String c) {
        return new Plan(task, c, agg, groupBy, date, grain, filters, limit, ascending, other, chart, entity, condition,
                sides, inherited, derived, join);
    }

    Plan withAgg(Agg a) {
        return new Plan(task, column, a, groupBy, date, grain, filters, limit, ascending, other, chart, entity, condition,
                sides, inherited, derived, join);
    }

    Plan withGroupBy(List<String> g) {
        return new Plan(task, column, agg, g, date, grain, filters, limit, ascending, other, chart, entity, condition,
                sides, inherited, derived, join);
    }

    Plan withTime(String d, Grain g) {
        return new Plan(task, column, agg, groupBy, d, g, filters, limit, ascending, other, chart, entity, condition,
                sides, inherited, derived, join);
    }

    Plan withFilters(List<Filter> f) {
        return new Plan(task, column, agg, groupBy, date, grain, f, limit, ascending, other, chart, entity, condition,
                sides, inherited, derived, join);
    }

    Plan withLimit(Integer n, boolean asc) {
        return new Plan(task, column, agg, groupBy, date, grain, filters, n, asc, other, chart, entity, condition,
                sides, inherited, derived, join);
    }

    Plan withOther(String o) {
        return new Plan(task, column, agg, groupBy, date, grain, filters, limit, ascending, o, chart, entity, condition,
                sides, inherited, derived, join);
    }

    Plan withChart(Chart c) {
        return new Plan(task, column, agg, groupBy, date, grain, filters, limit, ascending, other, c, entity, condition,
                sides, inherited, derived, join);
    }

    Plan withEntity(String e) {
        return new Plan(task, column, agg, groupBy, date, grain, filters, limit, ascending, other, chart, e, condition,
                sides, inherited, derived, join);
    }

    Plan withCondition(Filter c) {
        return new Plan(task, column, agg, groupBy, date, grain, filters, limit, ascending, other, chart, entity, c,
                sides, inherited, derived, join);
    }

    Plan withSides(List<Filter> s) {
        return new Plan(task, column, agg, groupBy, date, grain, filters, limit, ascending, other, chart, entity, condition,
                s, inherited, derived, join);
    }

    Plan withInherited(List<Filter> i) {
        return new Plan(task, column, agg, groupBy, date, grain, filters, limit, ascending, other, chart, entity, condition,
                sides, i, derived, join);
    }

    Plan withDerived(List<String> d) {
        return new Plan(task, column, agg, groupBy, date, grain, filters, limit, ascending, other, chart, entity, condition,
                sides, inherited, d, join);
    }

    Plan withJoin(Join j) {
        return new Plan(task, column, agg, groupBy, date, grain, filters, limit, ascending, other, chart, entity, condition,
                sides, inherited, derived, j);
    }

    /** The filters with those on {@code replaced}'s columns swapped for {@code replaced}. */
    Plan withFiltersReplaced(List<Filter> replaced) {
        List<Filter> kept = new ArrayList<>();
        for (Filter f : filters) {
            boolean sameColumn = replaced.stream().anyMatch(r -> r.column() != null && r.column().equals(f.column())
                    || r.column() == null && f.column() == null);
            if (!sameColumn) {
                kept.add(f);
            }
        }
        kept.addAll(replaced);
        return withFilters(kept);
    }
}
