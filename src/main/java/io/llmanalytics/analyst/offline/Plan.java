package io.llmanalytics.analyst.offline;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the offline analyst understood a question to ask, independent of how it is computed: one record per kind of
 * question, each holding exactly what its kind uses, so that a reading the code cannot execute (a comparison without
 * two sides, a ranking without groups, a trend without a date) cannot be built. Written into the generated code as a
 * comment (see {@link PlanComment}) so that follow-up questions and the interpretation can read it back.
 *
 * <p>A new kind of question is one record here, added to {@code permits} and to {@link JsonSubTypes} (a test checks
 * the two agree); the compiler then lists every switch that must handle it ({@link CodeWriter}, {@link Narrator},
 * {@link Describe}, {@link FollowUp}...).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Plan.Count.class, name = "count"),
    @JsonSubTypes.Type(value = Plan.Aggregate.class, name = "aggregate"),
    @JsonSubTypes.Type(value = Plan.TopRows.class, name = "top_rows"),
    @JsonSubTypes.Type(value = Plan.Share.class, name = "share"),
    @JsonSubTypes.Type(value = Plan.Values.class, name = "values"),
    @JsonSubTypes.Type(value = Plan.Columns.class, name = "columns"),
    @JsonSubTypes.Type(value = Plan.Shape.class, name = "shape"),
    @JsonSubTypes.Type(value = Plan.Missing.class, name = "missing"),
    @JsonSubTypes.Type(value = Plan.Summary.class, name = "summary"),
    @JsonSubTypes.Type(value = Plan.Correlation.class, name = "correlation"),
    @JsonSubTypes.Type(value = Plan.Correlations.class, name = "correlations"),
    @JsonSubTypes.Type(value = Plan.Trend.class, name = "trend"),
    @JsonSubTypes.Type(value = Plan.Distribution.class, name = "distribution"),
    @JsonSubTypes.Type(value = Plan.Outliers.class, name = "outliers"),
    @JsonSubTypes.Type(value = Plan.Head.class, name = "head"),
    @JsonSubTypes.Type(value = Plan.Value.class, name = "value"),
    @JsonSubTypes.Type(value = Plan.Compare.class, name = "compare")
})
@RegisterForReflection
sealed interface Plan
        permits Plan.Count,
                Plan.Aggregate,
                Plan.TopRows,
                Plan.Share,
                Plan.Values,
                Plan.Columns,
                Plan.Shape,
                Plan.Missing,
                Plan.Summary,
                Plan.Correlation,
                Plan.Correlations,
                Plan.Trend,
                Plan.Distribution,
                Plan.Outliers,
                Plan.Head,
                Plan.Value,
                Plan.Compare {

    /** The rows and columns every kind works on: conditions, computed and joined columns, the chart, the row word. */
    Scope scope();

    /** The same question over another scope. */
    Plan withScope(Scope scope);

    /** Rows (matching the filters), overall or per group; ranked groups when {@code rank} is given. */
    @RegisterForReflection
    record Count(Scope scope, List<String> groupBy, Rank rank) implements Plan {
        public Count {
            groupBy = copy(groupBy);
            require(rank == null || !groupBy.isEmpty(), "a ranking of counts needs groups");
        }

        @Override
        public Count withScope(Scope s) {
            return new Count(s, groupBy, rank);
        }
    }

    /**
     * {@code agg} of {@code column}, overall or per group (ranked and cut when {@code rank} is given), or over each
     * {@code per} value's total ("median revenue per order").
     */
    @RegisterForReflection
    record Aggregate(Scope scope, String column, Agg agg, List<String> groupBy, Rank rank, String per) implements Plan {
        public Aggregate {
            groupBy = copy(groupBy);
            require(column != null && agg != null, "an aggregate has a column and a statistic");
            require(rank == null || !groupBy.isEmpty(), "a ranking needs groups");
            require(per == null || groupBy.isEmpty() && rank == null, "'per' totals are not grouped");
        }

        @Override
        public Aggregate withScope(Scope s) {
            return new Aggregate(s, column, agg, groupBy, rank, per);
        }
    }

    /** The rows with the largest (or smallest) {@code column}, named by {@code label} when it is given. */
    @RegisterForReflection
    record TopRows(Scope scope, String column, Rank rank, String label) implements Plan {
        public TopRows {
            require(column != null && rank != null, "top rows have a column and a rank");
        }

        @Override
        public TopRows withScope(Scope s) {
            return new TopRows(s, column, rank, label);
        }
    }

    /**
     * Each group's percentage of the total of {@code column} (rows when null), or the share of the rows matching
     * {@code condition} (per group when grouped).
     */
    @RegisterForReflection
    record Share(Scope scope, String column, List<String> groupBy, Filter condition) implements Plan {
        public Share {
            groupBy = copy(groupBy);
            require(condition != null || !groupBy.isEmpty(), "a share is of a condition or per group");
        }

        @Override
        public Share withScope(Scope s) {
            return new Share(s, column, groupBy, condition);
        }
    }

    /** The distinct values of {@code column}. */
    @RegisterForReflection
    record Values(Scope scope, String column) implements Plan {
        public Values {
            require(column != null, "values are of a column");
        }

        @Override
        public Values withScope(Scope s) {
            return new Values(s, column);
        }
    }

    /** The column names and their types. */
    @RegisterForReflection
    record Columns(Scope scope) implements Plan {
        @Override
        public Columns withScope(Scope s) {
            return new Columns(s);
        }
    }

    /** Rows and columns. */
    @RegisterForReflection
    record Shape(Scope scope) implements Plan {
        @Override
        public Shape withScope(Scope s) {
            return new Shape(s);
        }
    }

    /** Missing values per column, or of {@code column}. */
    @RegisterForReflection
    record Missing(Scope scope, String column) implements Plan {
        @Override
        public Missing withScope(Scope s) {
            return new Missing(s, column);
        }
    }

    /** Summary statistics of the table or of {@code column}. */
    @RegisterForReflection
    record Summary(Scope scope, String column) implements Plan {
        @Override
        public Summary withScope(Scope s) {
            return new Summary(s, column);
        }
    }

    /** The correlation of {@code column} and {@code other}. */
    @RegisterForReflection
    record Correlation(Scope scope, String column, String other) implements Plan {
        public Correlation {
            require(column != null && other != null, "a correlation is of two columns");
        }

        @Override
        public Correlation withScope(Scope s) {
            return new Correlation(s, column, other);
        }
    }

    /** The {@code limit} (10 when null) strongest correlations, among all numeric columns or with {@code column}. */
    @RegisterForReflection
    record Correlations(Scope scope, String column, Integer limit) implements Plan {
        @Override
        public Correlations withScope(Scope s) {
            return new Correlations(s, column, limit);
        }
    }

    /** {@code agg} of {@code column} (rows when null) per {@code grain} of {@code date}; ranked periods with a rank. */
    @RegisterForReflection
    record Trend(Scope scope, String column, Agg agg, String date, Grain grain, Rank rank) implements Plan {
        public Trend {
            require(agg != null && date != null && grain != null, "a trend has a statistic, a date and a period");
        }

        @Override
        public Trend withScope(Scope s) {
            return new Trend(s, column, agg, date, grain, rank);
        }
    }

    /** How the values of {@code column} are distributed. */
    @RegisterForReflection
    record Distribution(Scope scope, String column) implements Plan {
        public Distribution {
            require(column != null, "a distribution is of a column");
        }

        @Override
        public Distribution withScope(Scope s) {
            return new Distribution(s, column);
        }
    }

    /** Values of {@code column} outside 1.5 interquartile ranges from the quartiles. */
    @RegisterForReflection
    record Outliers(Scope scope, String column) implements Plan {
        public Outliers {
            require(column != null, "outliers are of a column");
        }

        @Override
        public Outliers withScope(Scope s) {
            return new Outliers(s, column);
        }
    }

    /** The first {@code limit} rows ({@code first}) or the last. */
    @RegisterForReflection
    record Head(Scope scope, int limit, boolean first) implements Plan {
        public Head {
            require(limit > 0, "a positive number of rows");
        }

        @Override
        public Head withScope(Scope s) {
            return new Head(s, limit, first);
        }
    }

    /** The value of {@code column} in the rows the filters pick ("the price of Laptop"): one value or a list. */
    @RegisterForReflection
    record Value(Scope scope, String column) implements Plan {
        public Value {
            require(column != null, "a value is of a column");
        }

        @Override
        public Value withScope(Scope s) {
            return new Value(s, column);
        }
    }

    /**
     * One figure for each of the {@code sides} (at least two), with their difference and ratio: {@code agg} of
     * {@code column} (over each {@code per} value's total when given), the number of rows ({@link Agg#COUNT}), or the
     * percentage of rows matching {@code condition}.
     */
    @RegisterForReflection
    record Compare(Scope scope, String column, Agg agg, Filter condition, List<Filter> sides, String per)
            implements Plan {
        public Compare {
            sides = copy(sides);
            require(sides.size() >= 2, "a comparison has two sides or more");
            require(
                    condition != null ? column == null && agg == null : agg != null,
                    "a comparison is of a statistic or of a share of rows");
            require(agg != Agg.COUNT || column == null, "a count of rows has no column");
        }

        @Override
        public Compare withScope(Scope s) {
            return new Compare(s, column, agg, condition, sides, per);
        }
    }

    /**
     * What every kind of question shares.
     *
     * @param filters conditions on rows, all of which must hold
     * @param inherited the filters carried over from the previous question by a follow-up (a subset of
     *        {@code filters})
     * @param measured the column computed from {@code derived}; null when none
     * @param derived the columns whose product is {@code measured} ("stock value" = price × stock)
     * @param join the columns of another dataset brought in; null when none
     * @param chart the chart to draw
     * @param entity what the rows are called in the question ("passengers"), for the explanation; may be null
     */
    @RegisterForReflection
    record Scope(
            List<Filter> filters,
            List<Filter> inherited,
            String measured,
            List<String> derived,
            Join join,
            Chart chart,
            String entity) {
        static final Scope ALL = new Scope(List.of(), List.of(), null, List.of(), null, Chart.NONE, null);

        public Scope {
            filters = copy(filters);
            inherited = copy(inherited);
            derived = copy(derived);
            chart = chart == null ? Chart.NONE : chart;
            require(derived.isEmpty() == (measured == null), "a computed column has its factors");
        }

        static Scope of(List<Filter> filters, String entity) {
            return new Scope(filters, List.of(), null, List.of(), null, Chart.NONE, entity);
        }

        Scope withFilters(List<Filter> f) {
            return new Scope(f, inherited, measured, derived, join, chart, entity);
        }

        Scope withInherited(List<Filter> i) {
            return new Scope(filters, i, measured, derived, join, chart, entity);
        }

        Scope withDerived(String column, List<String> factors) {
            return new Scope(filters, inherited, column, factors, join, chart, entity);
        }

        Scope withJoin(Join j) {
            return new Scope(filters, inherited, measured, derived, j, chart, entity);
        }

        Scope withChart(Chart c) {
            return new Scope(filters, inherited, measured, derived, join, c, entity);
        }

        /** The filters with those on {@code replaced}'s columns swapped for {@code replaced}. */
        Scope withFiltersReplaced(List<Filter> replaced) {
            List<Filter> kept = new ArrayList<>();
            for (Filter f : filters) {
                boolean sameColumn = replaced.stream()
                        .anyMatch(r -> r.column() != null && r.column().equals(f.column())
                                || r.column() == null && f.column() == null);
                if (!sameColumn) {
                    kept.add(f);
                }
            }
            kept.addAll(replaced);
            return withFilters(kept);
        }
    }

    /** The first {@code limit} (ties kept), the smallest first when {@code ascending}. */
    @RegisterForReflection
    record Rank(int limit, boolean ascending) {
        public Rank {
            require(limit > 0, "a ranking keeps at least one");
        }
    }

    /**
     * Columns of another dataset of the session, brought in through a detected join key (a left merge on a key that is
     * unique in the other dataset, so no row is duplicated).
     *
     * @param dataset the other dataset's name ({@code dfs[dataset]})
     * @param leftKey the key column of this dataset
     * @param rightKey the key column of the other dataset
     * @param columns the other dataset's columns the plan uses
     */
    @RegisterForReflection
    record Join(String dataset, String leftKey, String rightKey, List<String> columns) {
        public Join {
            columns = columns == null ? List.of() : List.copyOf(columns);
        }
    }

    enum Agg {
        SUM("total", "sum"),
        MEAN("average", "mean"),
        MEDIAN("median", "median"),
        MIN("minimum", "min"),
        MAX("maximum", "max"),
        STD("standard deviation", "std"),
        VAR("variance", "var"),
        NUNIQUE("number of distinct values of", "nunique"),
        COUNT("count", "count");

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
        DAY("D", "day", "daily"),
        WEEK("W", "week", "weekly"),
        MONTH("M", "month", "monthly"),
        QUARTER("Q", "quarter", "quarterly"),
        YEAR("Y", "year", "yearly");

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
        NONE,
        BAR,
        LINE,
        PIE,
        HISTOGRAM,
        SCATTER
    }

    /** The column the question measures or lists, or null (rows counted, the whole table). */
    static String column(Plan plan) {
        return switch (plan) {
            case Count c -> null;
            case Aggregate a -> a.column();
            case TopRows t -> t.column();
            case Share s -> s.column();
            case Values v -> v.column();
            case Columns c -> null;
            case Shape s -> null;
            case Missing m -> m.column();
            case Summary s -> s.column();
            case Correlation c -> c.column();
            case Correlations c -> c.column();
            case Trend t -> t.column();
            case Distribution d -> d.column();
            case Outliers o -> o.column();
            case Head h -> null;
            case Value v -> v.column();
            case Compare c -> c.column();
        };
    }

    /** Every column of the data a plan names (its own, not those it computes). */
    static List<String> columns(Plan plan) {
        List<String> columns = new ArrayList<>();
        columns.add(column(plan));
        switch (plan) {
            case Count c -> columns.addAll(c.groupBy());
            case Aggregate a -> {
                columns.addAll(a.groupBy());
                columns.add(a.per());
            }
            case TopRows t -> columns.add(t.label());
            case Share s -> {
                columns.addAll(s.groupBy());
                columns.add(s.condition() == null ? null : s.condition().column());
            }
            case Correlation c -> columns.add(c.other());
            case Trend t -> columns.add(t.date());
            case Compare c -> {
                columns.add(c.per());
                columns.add(c.condition() == null ? null : c.condition().column());
                c.sides().forEach(f -> columns.add(f.column()));
            }
            case Values v -> {}
            case Columns c -> {}
            case Shape s -> {}
            case Missing m -> {}
            case Summary s -> {}
            case Correlations c -> {}
            case Distribution d -> {}
            case Outliers o -> {}
            case Head h -> {}
            case Value v -> {}
        }
        plan.scope().filters().forEach(f -> columns.add(f.column()));
        columns.removeIf(Objects::isNull);
        return columns;
    }

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    private static void require(boolean holds, String what) {
        if (!holds) {
            throw new IllegalArgumentException("not a plan: " + what);
        }
    }
}
