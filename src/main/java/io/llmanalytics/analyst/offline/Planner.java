package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.Clarification;
import io.llmanalytics.analyst.Numbers;
import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.analyst.offline.Plan.Chart;
import io.llmanalytics.analyst.offline.Plan.Rank;
import io.llmanalytics.analyst.offline.Plan.Scope;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides what a question asks from its {@link Parts}, or says why it cannot without guessing. Two sides make a
 * comparison; otherwise the first of the ordered {@link #rules() rules} that applies decides: questions about the table
 * itself (missing values, columns, size), correlations, outliers, summaries, distributions, first rows, lists of
 * values, shares, trends, rankings, and last statistics and counts.
 */
final class Planner {

    /** Words of column names whose values add up to a meaningful total (revenue, quantity, votes...). */
    private static final Set<String> ADDITIVE = Set.of(
            "revenue",
            "sale",
            "amount",
            "quantity",
            "qty",
            "profit",
            "spend",
            "spending",
            "expense",
            "earning",
            "vote",
            "count",
            "sold",
            "volume",
            "population",
            "pop",
            "order",
            "booking",
            "visit",
            "view",
            "download",
            "click",
            "death",
            "case",
            "vaccination",
            "donation",
            "budget",
            "gross",
            "turnover",
            "unit",
            "item",
            "total",
            "run",
            "hit",
            "goal",
            "sum");
    /** Words of column names whose values do not add up (averages, rates, prices...). */
    private static final Set<String> INTENSIVE = Set.of(
            "per",
            "rate",
            "ratio",
            "average",
            "avg",
            "mean",
            "pct",
            "percent",
            "percentage",
            "price",
            "index",
            "score",
            "rating",
            "share");

    /** Words of column names that hold money amounts of a row (what "the largest order" is measured by). */
    private static final Set<String> MONEY =
            Set.of("revenue", "sale", "sales", "amount", "turnover", "spend", "spending");

    /**
     * A text column with at most this many values, each repeated {@link #REPEATS} times or more on average, holds
     * categories: "how many" of it counts its values, as its rows cannot be what is counted.
     */
    private static final int FEW_CATEGORIES = 100;

    private static final int REPEATS = 10;

    private final Lexicon lexicon;

    Planner(Lexicon lexicon) {
        this.lexicon = lexicon;
    }

    /**
     * A rule of precedence: when it {@code applies} to the parts of a question, its {@code plan} is the reading.
     *
     * @param name what the rule reads, for people
     */
    record Rule(String name, Predicate<Parts> applies, Function<Parts, Plan> plan) {

        /** The plan of this rule, or empty when the rule does not apply (a rule that applies may decline). */
        Optional<Plan> apply(Parts p) {
            return applies.test(p) ? Optional.of(plan.apply(p)) : Optional.empty();
        }
    }

    /**
     * The precedence of the readings, in one place: the first rule that applies decides (and may decline). A question
     * with two sides is first taken out as a comparison ({@link #plan}), whose one figure per side is read by these
     * same rules.
     */
    private List<Rule> rules() {
        return List.of(
                new Rule("missing values", p -> p.tasks.contains(Cue.MISSING), this::missing),
                new Rule("column types", p -> p.tasks.contains(Cue.TYPES), p -> new Plan.Columns(Scope.ALL)),
                new Rule("correlation", p -> p.tasks.contains(Cue.CORRELATION), this::correlation),
                new Rule(
                        "column names",
                        p -> p.tasks.contains(Cue.COLUMNS) && p.measures.isEmpty(),
                        p -> new Plan.Columns(Scope.ALL)),
                new Rule("size", p -> p.tasks.contains(Cue.SHAPE), p -> new Plan.Shape(Scope.ALL)),
                new Rule("outliers", p -> p.tasks.contains(Cue.OUTLIER), this::outliers),
                new Rule("summary", p -> p.tasks.contains(Cue.DESCRIBE), this::summary),
                new Rule(
                        "distribution",
                        p -> (p.tasks.contains(Cue.DISTRIBUTION) || p.chart == Chart.HISTOGRAM) && p.aggs.isEmpty(),
                        this::distribution),
                new Rule(
                        "first or last rows",
                        p -> (p.tasks.contains(Cue.FIRST) || p.tasks.contains(Cue.LAST))
                                && p.measures.isEmpty()
                                && p.groups.isEmpty()
                                && p.superlative == null,
                        p -> new Plan.Head(
                                Scope.of(filters(p, true), null),
                                p.limit == null ? 5 : p.limit,
                                p.tasks.contains(Cue.FIRST))),
                new Rule(
                        "list of values",
                        Planner::listsValues,
                        p -> new Plan.Values(
                                Scope.of(filters(p, true), null),
                                p.measures.get(0).name())),
                new Rule("share", p -> p.tasks.contains(Cue.SHARE) || p.tasks.contains(Cue.RATE), this::share),
                new Rule("trend", p -> p.tasks.contains(Cue.TREND) || p.timeGrouping || p.periodTarget, this::trend),
                new Rule("ranking", p -> p.superlative != null || p.limit != null, this::ranking),
                new Rule("statistic or count", p -> true, this::aggregate));
    }

    Plan plan(Parts p) {
        Clarifying.period(p.question, lexicon).ifPresent(c -> {
            throw new NotUnderstood(List.of(c.question()), c);
        });
        if (!p.problems.isEmpty()) {
            Clarifying.ask(p, lexicon).ifPresent(c -> {
                throw new NotUnderstood(p.problems, c);
            });
            throw new NotUnderstood(p.problems, p.unrecognized);
        }
        if (p.limit != null && p.limit < 1) {
            throw new NotUnderstood("say how many to show: a number of at least 1");
        }
        List<Filter> sides = sides(p);
        Plan plan = sides.isEmpty() ? core(p) : compare(p, sides);
        if (!p.derived.isEmpty()) {
            String computed = Plan.column(plan);
            if (computed == null) {
                throw new NotUnderstood("say what to compute of the " + String.join(" × ", p.derived));
            }
            plan = plan.withScope(plan.scope().withDerived(computed, p.derived));
        }
        return Amounts.check(chart(plan, p), lexicon, p.question);
    }

    /**
     * The sides of a comparison, taken out of the parts: several values of one column ("East vs West", "revenue for
     * East and West") or a yes/no column both ways ("smokers vs non-smokers"). Two equalities on one column are never
     * an AND, and never silently an OR. A comparison broken down "by" a column shows the sides as a second grouping.
     */
    private List<Filter> sides(Parts p) {
        List<Filter> sides = new ArrayList<>();
        for (Filter f : List.copyOf(p.filters)) {
            if (f.op() == Filter.Op.IN
                    && f.texts().size() >= 2
                    && sides.isEmpty()
                    && p.groups.stream().noneMatch(g -> g.name().equals(f.column()))) {
                if (!p.groups.isEmpty() || p.timeGrouping) {
                    // "revenue by category for East and West": each side is a group of its own, never pooled
                    if (p.groups.size() == 1 && !p.timeGrouping) {
                        lexicon.column(f.column()).ifPresent(p.groups::add);
                        continue;
                    }
                    throw new NotUnderstood("a comparison broken down by more columns is not supported; ask for one"
                            + " side at a time");
                }
                f.texts().forEach(v -> sides.add(Filter.text(f.column(), Filter.Op.EQ, List.of(v))));
                p.filters.remove(f);
            }
        }
        for (Parts.Flag a : List.copyOf(p.flags)) {
            for (Parts.Flag b : List.copyOf(p.flags)) {
                if (sides.isEmpty() && a.column().equals(b.column()) && a.yes() && !b.yes()) {
                    sides.add(Filter.flag(a.column().name(), true));
                    sides.add(Filter.flag(a.column().name(), false));
                    p.flags.remove(a);
                    p.flags.remove(b);
                }
            }
        }
        if (sides.isEmpty() && p.comparing && !p.tasks.contains(Cue.CORRELATION)) {
            throw new NotUnderstood("say the two things to compare, e.g. 'revenue for East vs West' or 'average"
                    + " charges for smokers vs non-smokers'");
        }
        return sides;
    }

    /** One figure per side: the plan the question would have for one side, computed for each. */
    private Plan compare(Parts p, List<Filter> sides) {
        if (!p.groups.isEmpty() || p.timeGrouping || p.superlative != null || p.limit != null) {
            throw new NotUnderstood("a comparison gives one figure per side; ask it without a ranking or 'by', or"
                    + " ask 'by' the column of the sides");
        }
        String oneFigure = "a comparison gives one figure per side: a count, a total, an average, a median, a minimum"
                + " or a maximum";
        return switch (core(p)) {
            case Plan.Count c
            when c.groupBy().isEmpty() -> new Plan.Compare(c.scope(), null, Agg.COUNT, null, sides, null);
            case Plan.Aggregate a
            when a.groupBy().isEmpty() ->
                new Plan.Compare(a.scope(), a.agg() == Agg.COUNT ? null : a.column(), a.agg(), null, sides, a.per());
            case Plan.Share s
            when s.groupBy().isEmpty() && s.column() == null ->
                new Plan.Compare(s.scope(), null, null, s.condition(), sides, null);
            case Plan.Count c -> throw new NotUnderstood(oneFigure);
            case Plan.Aggregate a -> throw new NotUnderstood(oneFigure);
            case Plan.Share s -> throw new NotUnderstood(oneFigure);
            case Plan.TopRows t -> throw new NotUnderstood(oneFigure);
            case Plan.Values v -> throw new NotUnderstood(oneFigure);
            case Plan.Columns c -> throw new NotUnderstood(oneFigure);
            case Plan.Shape s -> throw new NotUnderstood(oneFigure);
            case Plan.Missing m -> throw new NotUnderstood(oneFigure);
            case Plan.Summary s -> throw new NotUnderstood(oneFigure);
            case Plan.Correlation c -> throw new NotUnderstood(oneFigure);
            case Plan.Correlations c -> throw new NotUnderstood(oneFigure);
            case Plan.Trend t -> throw new NotUnderstood(oneFigure);
            case Plan.Distribution d -> throw new NotUnderstood(oneFigure);
            case Plan.Outliers o -> throw new NotUnderstood(oneFigure);
            case Plan.Head h -> throw new NotUnderstood(oneFigure);
            case Plan.Value v -> throw new NotUnderstood(oneFigure);
            case Plan.Compare c -> throw new NotUnderstood(oneFigure);
        };
    }

    /** The reading of the first rule that applies. */
    private Plan core(Parts p) {
        for (Rule rule : rules()) {
            Optional<Plan> plan = rule.apply(p);
            if (plan.isPresent()) {
                return plan.get();
            }
        }
        throw new IllegalStateException("the last rule applies to every question");
    }

    private static boolean listsValues(Parts p) {
        var tasks = p.tasks;
        return (tasks.contains(Cue.LIST)
                        || tasks.contains(Cue.VALUES)
                        || tasks.contains(Cue.DISTINCT)
                        || p.asked && p.superlative == null && p.limit == null)
                && !p.howMany
                && p.aggs.isEmpty()
                && p.groups.isEmpty()
                && p.measures.size() == 1
                && !p.measures.get(0).measure()
                && p.superlative == null
                && !p.timeGrouping;
    }

    private Plan missing(Parts p) {
        noGroups(p, "missing values");
        return new Plan.Missing(Scope.of(filters(p, true), null), single(p.measures, c -> true, "missing values"));
    }

    private Plan outliers(Parts p) {
        noGroups(p, "outliers");
        String column = single(p.measures, Column::measure, "outliers");
        if (column == null) {
            throw new NotUnderstood("name the numeric column to look for outliers in");
        }
        return new Plan.Outliers(Scope.of(filters(p, true), null), column);
    }

    private Plan summary(Parts p) {
        noGroups(p, "a summary");
        return new Plan.Summary(Scope.of(filters(p, true), null), single(p.measures, c -> true, "a summary"));
    }

    private Plan distribution(Parts p) {
        noGroups(p, "a distribution");
        String column = single(p.measures, c -> !c.identifier(), "a distribution");
        if (column == null) {
            throw new NotUnderstood("name the column whose distribution you want");
        }
        return new Plan.Distribution(Scope.of(filters(p, true), p.entity), column);
    }

    private Plan correlation(Parts p) {
        noGroups(p, "correlations");
        List<Column> numeric = p.measures.stream().filter(Column::numeric).toList();
        if (numeric.size() != p.measures.size() || numeric.size() > 2) {
            throw new NotUnderstood("correlations are between numeric columns; name one or two of them");
        }
        Scope scope = Scope.of(filters(p, true), null);
        if (numeric.size() == 2) {
            return new Plan.Correlation(
                    scope, numeric.get(0).name(), numeric.get(1).name());
        }
        return new Plan.Correlations(
                scope, numeric.isEmpty() ? null : numeric.get(0).name(), p.limit);
    }

    private Plan share(Parts p) {
        List<Column> groups = new ArrayList<>(p.groups);
        Column measure = null;
        for (Column c : p.measures) {
            if (c.measure() && measure == null) {
                measure = c;
            } else if (!c.measure() && !c.date() && groups.isEmpty()) {
                groups.add(c); // "share of each category"
            } else {
                throw new NotUnderstood("a share is of one measure, by at most two columns");
            }
        }
        Filter condition = null;
        List<Filter> filters = new ArrayList<>(p.filters);
        if (!p.flags.isEmpty()) {
            if (p.flags.size() > 1) {
                throw new NotUnderstood("a share of rows is for one yes/no condition at a time");
            }
            condition =
                    Filter.flag(p.flags.get(0).column().name(), p.flags.get(0).yes());
        } else if (groups.isEmpty()) {
            if (filters.size() != 1) {
                throw new NotUnderstood(
                        filters.isEmpty()
                                ? "say what the share is of, e.g. a value ('share of revenue from Books') or 'by' a column"
                                : "say which of the conditions is the share and which the whole");
            }
            condition = filters.remove(0);
        }
        if (measure != null && !additive(measure) && p.agg() != Agg.SUM) {
            throw new NotUnderstood("a share of '" + measure.name() + "' would add up values that are not"
                    + " amounts; ask for a share of rows, or of a total such as revenue or quantity");
        }
        return new Plan.Share(
                Scope.of(filters, p.entity),
                measure == null ? null : measure.name(),
                groups.stream().map(Column::name).toList(),
                condition);
    }

    private Plan trend(Parts p) {
        Column date = p.timeColumn;
        if (date == null) {
            List<Column> dates = lexicon.dateColumns();
            if (dates.size() != 1) {
                throw new NotUnderstood(
                        dates.isEmpty()
                                ? "this dataset has no date column to follow over time"
                                : "name the date column to use ("
                                        + String.join(
                                                ", ",
                                                dates.stream().map(Column::name).toList()) + ")");
            }
            date = dates.get(0);
        }
        if (!p.groups.isEmpty()) {
            throw new NotUnderstood("a trend is followed for the whole data; filter to one group instead of 'by'");
        }
        Column measure = measure(p, "a trend");
        if (measure == null && !p.howMany && p.entity == null) {
            throw new NotUnderstood(
                    "say what to follow over time, e.g. 'total revenue per month' or 'number of" + " rows per month'");
        }
        Agg agg = measure == null ? Agg.COUNT : defaultAgg(measure, p);
        if (agg == Agg.NUNIQUE && p.agg() == null && !measure.numeric() && countsRows(measure, p)) {
            measure = null; // "number of orders per month" where rows are the orders
            agg = Agg.COUNT;
        }
        Plan.Grain grain = p.grain != null ? p.grain : p.dateNamed ? Plan.Grain.DAY : grainFor(date);
        Rank rank = p.superlative != null || p.limit != null
                ? new Rank(p.limit != null ? p.limit : 1, Boolean.FALSE.equals(p.highest))
                : null;
        return new Plan.Trend(
                Scope.of(filters(p, true), p.entity),
                measure == null ? null : measure.name(),
                agg,
                date.name(),
                grain,
                rank);
    }

    private Plan ranking(Parts p) {
        boolean ascending = Boolean.FALSE.equals(p.highest);
        Cue s = p.superlative;
        if (s == Cue.COMMON || s == Cue.RARE) {
            Column target = p.target;
            if (target == null && p.measures.size() == 1 && !p.measures.get(0).measure()) {
                target = p.measures.get(0);
            } else if (!p.measures.isEmpty()) {
                throw new NotUnderstood("'most common' counts the rows of each value of one column");
            }
            if (target == null) {
                throw new NotUnderstood("say which column's most common value you want");
            }
            return new Plan.Count(
                    Scope.of(filters(p, true), p.entity),
                    List.of(target.name()),
                    new Rank(p.limit != null ? p.limit : 1, ascending));
        }
        Column measure = measure(p, "a ranking");
        if (measure == null) {
            measure = implied(s);
        }
        // rows named by a word whose id column identifies them, in a table without a name column to show instead
        boolean named = lexicon.columns().stream()
                .anyMatch(c ->
                        c.text() && (c.words().contains("name") || c.words().contains("title")));
        Column rowsId =
                p.rowTarget && p.entity != null && p.groups.isEmpty() && !named ? lexicon.idFor(p.entity) : null;
        if (measure == null && rowsId != null && (s == Cue.HIGH || s == Cue.LOW)) {
            List<Column> money =
                    lexicon.columns().stream().filter(Planner::additiveMoney).toList();
            if (money.size() != 1) {
                throw new NotUnderstood("say what makes a '" + p.entity + "' large or small (which column)");
            }
            measure = money.get(0); // "the largest single order": by the one money column, and the reading says so
        }
        if (rowsId != null && measure != null && additive(measure) && (p.agg() == null || p.agg() == Agg.SUM)) {
            // "top 5 orders by revenue": each order's total, identified by its id (order lines add up)
            return new Plan.Aggregate(
                    Scope.of(filters(p, true), p.entity),
                    measure.name(),
                    Agg.SUM,
                    List.of(rowsId.name()),
                    new Rank(p.limit != null ? p.limit : 1, ascending),
                    null);
        }
        if (measure == null && p.target != null && p.target.identifier() && (s == Cue.HIGH || s == Cue.LOW)) {
            // "the largest single order": by the one money column of the rows, and the reading says so
            List<Column> money =
                    lexicon.columns().stream().filter(Planner::additiveMoney).toList();
            if (money.size() != 1) {
                throw new NotUnderstood("say what makes a '" + p.target.name() + "' large or small (which column)");
            }
            measure = money.get(0);
        }
        if (p.target != null) {
            List<String> groups = new ArrayList<>(List.of(p.target.name()));
            p.groups.forEach(g -> groups.add(g.name()));
            Rank rank = new Rank(p.limit != null ? p.limit : 1, ascending);
            if (measure == null) {
                if ((s == Cue.HIGH || s == Cue.LOW) && (p.entity != null || p.howMany)) {
                    return new Plan.Count(Scope.of(filters(p, true), p.entity), groups, rank);
                }
                throw new NotUnderstood("say which column to rank '" + p.target.name() + "' by");
            }
            Agg agg = p.agg() != null
                    ? p.agg()
                    : itemLevel(s)
                            ? (ascending ? Agg.MIN : Agg.MAX)
                            : !measure.numeric() && !measure.date() && (s == Cue.HIGH || s == Cue.LOW)
                                    ? Agg.NUNIQUE
                                    : defaultAggOrNull(measure, p);
            if (agg == Agg.NUNIQUE && p.agg() == null && !measure.numeric() && countsRows(measure, p)) {
                return new Plan.Count(Scope.of(filters(p, true), p.entity), groups, rank);
            }
            if (itemLevel(s)
                    && p.agg() == null
                    && measure.numeric()
                    && lexicon.unique(p.target)
                    && p.groups.isEmpty()) {
                // "cheapest product" with one row per product: the product row(s) with the lowest price, ties shown
                return new Plan.TopRows(Scope.of(filters(p, true), p.entity), measure.name(), rank, p.target.name());
            }
            if (agg == null && lexicon.unique(p.target) && p.groups.isEmpty()) {
                return new Plan.TopRows(Scope.of(filters(p, true), p.entity), measure.name(), rank, p.target.name());
            }
            if (agg == null) {
                throw new NotUnderstood(whichStatistic(measure));
            }
            return new Plan.Aggregate(Scope.of(filters(p, true), p.entity), measure.name(), agg, groups, rank, null);
        }
        if (measure == null) {
            throw new NotUnderstood("say which column to rank by");
        }
        if (p.rowTarget || p.limit != null && p.groups.isEmpty() && p.aggs.isEmpty()) {
            noGroups(p, "a list of rows");
            if (!measure.numeric() && !measure.date()) {
                throw new NotUnderstood(
                        "rows are ranked by a numeric or date column, and '" + measure.name() + "' holds text");
            }
            return new Plan.TopRows(
                    Scope.of(filters(p, true), p.entity),
                    measure.name(),
                    new Rank(p.limit != null ? p.limit : p.asked || p.rowTarget ? 1 : 5, ascending),
                    null);
        }
        // "the highest fare", "highest fare by class": a statistic, not a ranking
        Agg agg = p.agg() != null ? p.agg() : ascending ? Agg.MIN : Agg.MAX;
        List<String> groups = p.groups.stream().map(Column::name).toList();
        Rank rank = null;
        if (p.limit != null && !p.groups.isEmpty()) {
            rank = new Rank(p.limit, ascending);
        } else if (p.agg() != null && p.aggs.size() == 1 && p.superlative != null && !p.groups.isEmpty()) {
            rank = new Rank(1, ascending); // "which has the highest average" without a target: rank the groups
        }
        return new Plan.Aggregate(Scope.of(filters(p, true), p.entity), measure.name(), agg, groups, rank, null);
    }

    private Plan aggregate(Parts p) {
        List<String> groups = p.groups.stream().map(Column::name).toList();
        if (p.aggs.isEmpty() && p.howMany) {
            Column counted = p.measures.size() == 1 ? p.measures.get(0) : null;
            if (p.measures.size() > 1) {
                throw new NotUnderstood("say which one column to count");
            }
            Scope scope = Scope.of(filters(p, true), p.entity);
            if (counted == null || counted.date()) {
                return new Plan.Count(scope, groups, null);
            }
            if (!counted.numeric()) {
                return countsRows(counted, p)
                        ? new Plan.Count(scope, groups, null)
                        : new Plan.Aggregate(scope, counted.name(), Agg.NUNIQUE, groups, null, null);
            }
            if (summable(counted)) {
                return new Plan.Aggregate(scope, counted.name(), Agg.SUM, groups, null, null);
            }
            throw new NotUnderstood("'how many' with '" + counted.name() + "' could mean a count of rows or a"
                    + " total of the column; ask for the 'number of rows' or the 'total " + counted.name() + "'");
        }
        if (p.aggs.contains(Agg.NUNIQUE)) {
            throw new NotUnderstood("say which column's distinct values to count");
        }
        Column measure = measure(p, "a statistic");
        if (measure == null
                && p.agg() != null
                && p.flags.size() == 1
                && p.flags.get(0).column().numeric()
                && p.flags.get(0).yes()) {
            Column flag = p.flags.get(0).column();
            p.flags.clear();
            measure = flag; // "average survived": the mean of a 0/1 column
        }
        if (measure == null) {
            throw new NotUnderstood(
                    p.aggs.isEmpty()
                            ? "I could not tell what to compute; name a column and what to compute, e.g. its total or average"
                            : "say which column to compute the " + p.agg().words() + " of");
        }
        Agg agg = p.agg() != null ? p.agg() : defaultAggOrNull(measure, p);
        boolean identified = !p.filters.isEmpty()
                && p.filters.stream()
                        .allMatch(f -> f.op() == Filter.Op.EQ || f.op() == Filter.Op.LOOKUP || f.op() == Filter.Op.IN);
        if (agg == null && identified && groups.isEmpty()) {
            // "the happiness score of Denmark": the value itself, not a statistic
            return new Plan.Value(Scope.of(filters(p, true), p.entity), measure.name());
        }
        if (agg == null) {
            throw new NotUnderstood(whichStatistic(measure));
        }
        if (!measure.numeric() && agg != Agg.MIN && agg != Agg.MAX
                || measure.date() && agg != Agg.MIN && agg != Agg.MAX) {
            throw new NotUnderstood("'" + measure.name() + "' holds " + (measure.date() ? "dates" : "text")
                    + ", so it has no " + agg.words());
        }
        if (p.perEntity != null) {
            if (!measure.numeric() || !groups.isEmpty() || agg == Agg.SUM || agg == Agg.COUNT || agg == Agg.NUNIQUE) {
                throw new NotUnderstood("'per " + p.perEntity.name() + "' is for a statistic of each one's total,"
                        + " e.g. the average or median");
            }
            return new Plan.Aggregate(
                    Scope.of(filters(p, true), p.entity), measure.name(), agg, List.of(), null, p.perEntity.name());
        }
        return new Plan.Aggregate(Scope.of(filters(p, true), p.entity), measure.name(), agg, groups, null, null);
    }

    /** The one column the question measures, or null; several are a problem. */
    private Column measure(Parts p, String what) {
        if (p.measures.size() > 1 && p.agg() != null && p.agg() != Agg.NUNIQUE) {
            List<Column> numeric = p.measures.stream().filter(Column::measure).toList();
            if (numeric.size() == 1) {
                // "average price of products": the text column names the rows, the number is measured
                p.measures.stream()
                        .filter(c -> !c.numeric() && !c.date())
                        .findFirst()
                        .ifPresent(c -> p.entity = p.entity == null ? c.name() : p.entity);
                p.measures.retainAll(numeric);
            }
        }
        if (p.measures.size() > 1) {
            throw new NotUnderstood(what + " is computed on one column, and the question names "
                    + String.join(
                            ", ",
                            p.measures.stream().map(c -> "'" + c.name() + "'").toList()));
        }
        return p.measures.isEmpty() ? null : p.measures.get(0);
    }

    private Agg defaultAgg(Column measure, Parts p) {
        Agg agg = defaultAggOrNull(measure, p);
        if (agg == null) {
            throw new NotUnderstood(whichStatistic(measure));
        }
        return agg;
    }

    private Agg defaultAggOrNull(Column measure, Parts p) {
        if (p.agg() != null) {
            return p.agg();
        }
        if (!measure.numeric()) {
            return p.howMany ? Agg.NUNIQUE : null;
        }
        return p.howMuch || summable(measure) ? Agg.SUM : null;
    }

    /**
     * Whether "how many &lt;column&gt;" counts rows (true) or the column's distinct values (false). Both are the same
     * when the values are unique per row; when they repeat ("how many counties" where county names repeat across
     * states), the question must say which: "distinct/different/unique" for distinct values, "rows/records/entries"
     * for rows. A column of a few categories, each on many rows ("how many regions"), counts its values. Otherwise it
     * is declined with both readings as suggestions.
     */
    private boolean countsRows(Column counted, Parts p) {
        if (p.tasks.contains(Cue.DISTINCT) || p.aggs.contains(Agg.NUNIQUE) || lexicon.unique(counted)) {
            return false;
        }
        if (!p.tasks.contains(Cue.ROWS)
                && counted.distinct() != null
                && counted.distinct() <= FEW_CATEGORIES
                && lexicon.rows() >= REPEATS * counted.distinct()) {
            return false; // "how many regions": 4 values over 5,000 rows, so the rows are not the regions
        }
        if (p.tasks.contains(Cue.ROWS)) {
            return true;
        }
        String repeats = counted.distinct() != null
                ? " (" + Numbers.number(counted.distinct()) + " distinct values in " + Numbers.number(lexicon.rows())
                        + " rows)"
                : "";
        List<String> reasons = List.of("the values of '" + counted.name() + "' repeat" + repeats
                + ", so 'how many' could be the number"
                + " of rows or the number of distinct " + counted.name() + " values; ask for 'rows' or for"
                + " 'distinct' ones");
        List<String> readings = countReadings(p, counted);
        // one option per reading: the question's own wording of each first
        List<String> options = new ArrayList<>();
        readings.stream().filter(r -> r.contains("rows")).findFirst().ifPresent(options::add);
        readings.stream().filter(r -> r.contains("distinct")).findFirst().ifPresent(options::add);
        Optional<Clarification> clarification = Clarification.of(
                "Do you mean the number of rows, or the number of distinct " + counted.name() + " values" + repeats
                        + "?",
                options);
        if (clarification.isPresent()) {
            throw new NotUnderstood(reasons, clarification.get());
        }
        throw new NotUnderstood(reasons, List.of(), readings);
    }

    /** Both readings of an ambiguous count, built from the question when it can be, each checked to parse. */
    private List<String> countReadings(Parts p, Column counted) {
        if (p.question == null) {
            return List.of();
        }
        String q = p.question.strip();
        String count = "(?i)\\b(how many|number of|count of|count)\\s+(?:the\\s+)?";
        String by = p.groups.isEmpty() ? "" : " by " + p.groups.get(0).name();
        List<String> candidates = List.of(
                q.replaceFirst(count + "\\S+", "$1 rows"),
                q.replaceFirst(count, "$1 distinct "),
                "how many rows" + by,
                "how many distinct " + counted.name() + by);
        List<String> readings = new ArrayList<>();
        for (String c : candidates) {
            if (!c.equalsIgnoreCase(q) && !readings.contains(c) && Suggestions.parses(lexicon, c)) {
                readings.add(c);
            }
        }
        return readings;
    }

    private static String whichStatistic(Column measure) {
        return "say which statistic of '" + measure.name() + "' you want: total, average, median, minimum or maximum";
    }

    /** An amount of money per row (revenue, sales, amount). */
    static boolean additiveMoney(Column c) {
        return c.measure() && c.words().stream().anyMatch(MONEY::contains);
    }

    static boolean additive(Column c) {
        return c.measure()
                && c.words().stream().anyMatch(ADDITIVE::contains)
                && c.words().stream().noneMatch(INTENSIVE::contains);
    }

    /** Additive, and not a running total of a time series ({@code total_vaccinations} next to a date column). */
    private boolean summable(Column c) {
        boolean cumulative = (c.words().contains("total") || c.words().contains("cumulative"))
                && !lexicon.dateColumns().isEmpty();
        return additive(c) && !cumulative;
    }

    /** "most expensive" ranks by price, "oldest" by age: the one such column, if there is one. */
    private Column implied(Cue s) {
        Predicate<Column> test = switch (s) {
            case EXPENSIVE, CHEAP ->
                c -> c.measure()
                        && (c.words().contains("price")
                                || c.words().contains("cost")
                                || c.words().contains("fare"));
            case OLDEST, YOUNGEST -> c -> c.measure() && c.words().contains("age");
            case LATEST, EARLIEST -> Column::date;
            default -> c -> false;
        };
        List<Column> found = lexicon.columns().stream().filter(test).toList();
        return found.size() == 1 ? found.get(0) : null;
    }

    private static boolean itemLevel(Cue s) {
        return s == Cue.EXPENSIVE
                || s == Cue.CHEAP
                || s == Cue.OLDEST
                || s == Cue.YOUNGEST
                || s == Cue.LATEST
                || s == Cue.EARLIEST;
    }

    private static String single(List<Column> columns, Predicate<Column> test, String what) {
        if (columns.size() > 1) {
            throw new NotUnderstood(what + " is for the whole table or one column at a time");
        }
        if (columns.isEmpty()) {
            return null;
        }
        if (!test.test(columns.get(0))) {
            throw new NotUnderstood(
                    what + " is not available for '" + columns.get(0).name() + "'");
        }
        return columns.get(0).name();
    }

    private static void noGroups(Parts p, String what) {
        if (!p.groups.isEmpty() || p.timeGrouping) {
            throw new NotUnderstood(what + " cannot be broken down by a column here; ask for one group at a time");
        }
    }

    /** The conditions, with yes/no mentions ("smokers", "did not survive") added as conditions. */
    private static List<Filter> filters(Parts p, boolean withFlags) {
        List<Filter> filters = new ArrayList<>(p.filters);
        if (withFlags) {
            p.flags.forEach(f -> filters.add(Filter.flag(f.column().name(), f.yes())));
        }
        return filters;
    }

    private static Plan.Grain grainFor(Column date) {
        if (date.minDate() == null || date.maxDate() == null) {
            return Plan.Grain.MONTH;
        }
        try {
            long days = ChronoUnit.DAYS.between(
                    LocalDate.parse(date.minDate().substring(0, 10)),
                    LocalDate.parse(date.maxDate().substring(0, 10)));
            return days > 3 * 365
                    ? Plan.Grain.YEAR
                    : days > 90 ? Plan.Grain.MONTH : days > 21 ? Plan.Grain.WEEK : Plan.Grain.DAY;
        } catch (RuntimeException e) {
            return Plan.Grain.MONTH;
        }
    }

    /** The chart asked for, or the one that suits the result when the question only says "plot" or "chart". */
    private Plan chart(Plan plan, Parts p) {
        if (!p.chartAsked) {
            return plan;
        }
        return withChart(plan, p.chart, lexicon);
    }

    /** The plan with the chart that suits it ({@code asked} when given); refused when the result is one value. */
    static Plan withChart(Plan plan, Chart asked, Lexicon lexicon) {
        Chart kind = asked != null ? asked : CodeWriter.suited(plan);
        Plan charted = plan.withScope(plan.scope().withChart(kind));
        if (CodeWriter.drawn(charted, lexicon) == Chart.NONE) {
            throw new NotUnderstood("the answer is a single value, which has no chart; ask for it by a column"
                    + " (e.g. 'by category') or over time to get a chart");
        }
        return charted;
    }
}
