package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.analyst.offline.Plan.Chart;
import io.llmanalytics.analyst.offline.Plan.Rank;
import io.llmanalytics.analyst.offline.Plan.Scope;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a follow-up question's parts to the previous question's plan: "and for Furniture?" replaces the condition
 * on the same column, "now by region" the grouping, "what about the median?" the statistic, "and quantity?" the
 * measured column, "show that as a chart" adds a chart, "monthly" turns it into a trend.
 */
final class FollowUp {

    private final Lexicon lexicon;

    FollowUp(Lexicon lexicon) {
        this.lexicon = lexicon;
    }

    /** Whether a follow-up's word for the rows is the previous question's (or a plain "rows"). */
    private static boolean sameRows(String now, String before) {
        if (now == null) {
            return true;
        }
        String a = Words.singular(Words.fold(now));
        return Vocabulary.ROW_WORDS.contains(a) && (before == null || a.equals(Words.singular(Words.fold(before))))
                || a.equals("row")
                || a.equals("record")
                || a.equals("entry");
    }

    Plan merge(Parts p, Plan previous) {
        if (!p.problems.isEmpty()) {
            throw new NotUnderstood(p.problems);
        }
        if (!p.tasks.isEmpty() && !p.tasks.stream().allMatch(c -> c == Cue.ROWS || c == Cue.TREND)) {
            throw new NotUnderstood("this follow-up asks for something new; ask it as a full question");
        }
        String entity = previous.scope().entity();
        if (p.target != null
                || p.rowTarget && !sameRows(p.entity, entity)
                || p.entity != null && !sameRows(p.entity, entity)) {
            throw new NotUnderstood("'" + (p.target != null ? p.target.name() : p.entity)
                    + "' is not part of the previous question; ask it as a full question");
        }
        Plan plan = previous;
        if (p.measures.size() > 1) {
            throw new NotUnderstood("a follow-up can change one measured column at a time");
        }
        if (p.measures.size() == 1) {
            Column m = p.measures.get(0);
            if (!p.followUp && !p.refers) {
                throw new NotUnderstood("'" + m.name() + "' is asked about without saying what to compute");
            }
            if (!m.measure()) {
                throw new NotUnderstood("'" + m.name() + "' cannot replace what the previous question measured");
            }
            plan = measured(plan, m, p.agg());
        }
        if (p.agg() != null) {
            plan = switch (plan) {
                case Plan.Aggregate a ->
                    new Plan.Aggregate(a.scope(), a.column(), p.agg(), a.groupBy(), a.rank(), a.per());
                case Plan.Trend t
                when t.column() != null ->
                    new Plan.Trend(t.scope(), t.column(), p.agg(), t.date(), t.grain(), t.rank());
                default ->
                    throw new NotUnderstood("the previous answer has no column to compute the "
                            + p.agg().words() + " of");
            };
        }
        if (!p.groups.isEmpty()) {
            List<String> groups = p.groups.stream().map(Column::name).toList();
            // "by class" after "in 3rd class": all the groups are wanted now
            Scope scope = plan.scope()
                    .withFilters(plan.scope().filters().stream()
                            .filter(f -> !groups.contains(f.column()))
                            .toList());
            plan = switch (plan) {
                case Plan.Count c -> new Plan.Count(scope, groups, c.rank());
                case Plan.Aggregate a
                when a.per() == null -> new Plan.Aggregate(scope, a.column(), a.agg(), groups, a.rank(), null);
                case Plan.Share s -> new Plan.Share(scope, s.column(), groups, s.condition());
                case Plan.Trend t ->
                    t.column() == null
                            ? new Plan.Count(scope, groups, null)
                            : new Plan.Aggregate(scope, t.column(), t.agg(), groups, null, null);
                default -> throw new NotUnderstood("the previous answer cannot be broken down by a column");
            };
        }
        if (p.timeGrouping) {
            Column date = p.timeColumn;
            boolean followable = plan instanceof Plan.Aggregate a
                    ? a.per() == null
                    : plan instanceof Plan.Count || plan instanceof Plan.Trend;
            if (!followable) {
                throw new NotUnderstood("the previous answer cannot be followed over time");
            }
            if (date == null) {
                List<Column> dates = lexicon.dateColumns();
                if (dates.size() != 1) {
                    throw new NotUnderstood("name the date column to follow over time");
                }
                date = dates.get(0);
            }
            Plan.Grain grain = p.grain != null ? p.grain : plan instanceof Plan.Trend t ? t.grain() : Plan.Grain.MONTH;
            String column = Plan.column(plan);
            Agg agg = switch (plan) {
                case Plan.Aggregate a -> a.agg();
                case Plan.Trend t -> t.column() == null ? Agg.COUNT : t.agg();
                default -> Agg.COUNT;
            };
            plan = new Plan.Trend(plan.scope(), column, agg, date.name(), grain, null);
        }
        List<Filter> filters = new ArrayList<>(p.filters);
        p.flags.forEach(f -> filters.add(Filter.flag(f.column().name(), f.yes())));
        if (!filters.isEmpty()) {
            plan = plan.withScope(plan.scope().withFiltersReplaced(filters));
            List<String> fixed = filters.stream()
                    .filter(f -> f.op() == Filter.Op.EQ || f.op() == Filter.Op.YES || f.op() == Filter.Op.NO)
                    .map(Filter::column)
                    .toList();
            if (p.groups.isEmpty()) {
                // "and for Furniture?" after "by category": one group is asked for, not a breakdown
                plan = switch (plan) {
                    case Plan.Count c
                    when c.groupBy().stream().anyMatch(fixed::contains) -> {
                        List<String> kept = c.groupBy().stream()
                                .filter(g -> !fixed.contains(g))
                                .toList();
                        yield new Plan.Count(c.scope(), kept, kept.isEmpty() ? null : c.rank());
                    }
                    case Plan.Aggregate a
                    when a.groupBy().stream().anyMatch(fixed::contains) -> {
                        List<String> kept = a.groupBy().stream()
                                .filter(g -> !fixed.contains(g))
                                .toList();
                        yield new Plan.Aggregate(
                                a.scope(), a.column(), a.agg(), kept, kept.isEmpty() ? null : a.rank(), a.per());
                    }
                    case Plan.Share s
                    when s.groupBy().stream().anyMatch(fixed::contains) -> {
                        List<String> kept = s.groupBy().stream()
                                .filter(g -> !fixed.contains(g))
                                .toList();
                        if (kept.isEmpty() && s.condition() == null) {
                            throw new NotUnderstood("the share of one group is asked for; ask for the share of '"
                                    + String.join("', '", fixed) + "' among all rows as a full question");
                        }
                        yield new Plan.Share(s.scope(), s.column(), kept, s.condition());
                    }
                    default -> plan;
                };
            }
        }
        if (p.limit != null || p.highest != null) {
            plan = ranked(plan, p);
        }
        List<Filter> stated = filters;
        Scope scope = plan.scope();
        plan = plan.withScope(scope.withInherited(scope.filters().stream()
                .filter(f -> previous.scope().filters().contains(f) && !stated.contains(f))
                .toList()));
        if (p.chartAsked) {
            plan = Planner.withChart(plan, p.chart, lexicon);
        } else if (previous.scope().chart() != Chart.NONE) {
            Chart again = plan instanceof Plan.Trend
                    ? Chart.LINE
                    : previous.scope().chart() == Chart.LINE
                            ? Chart.BAR
                            : previous.scope().chart();
            Plan charted = plan.withScope(plan.scope().withChart(again));
            plan = CodeWriter.drawn(charted, lexicon) == Chart.NONE
                    ? plan.withScope(plan.scope().withChart(Chart.NONE))
                    : charted;
        }
        return Amounts.check(plan, lexicon, p.question);
    }

    /** The previous plan measuring {@code m} instead ("and quantity?"); a count becomes a statistic of it. */
    private static Plan measured(Plan plan, Column m, Agg asked) {
        String cannot = "'" + m.name() + "' cannot replace what the previous question measured";
        Plan replaced = switch (plan) {
            case Plan.Count c -> {
                Agg agg = asked != null ? asked : Planner.additive(m) ? Agg.SUM : null;
                if (agg == null) {
                    throw new NotUnderstood("say which statistic of '" + m.name() + "' you want");
                }
                yield new Plan.Aggregate(c.scope(), m.name(), agg, c.groupBy(), c.rank(), null);
            }
            case Plan.Aggregate a -> new Plan.Aggregate(a.scope(), m.name(), a.agg(), a.groupBy(), a.rank(), a.per());
            case Plan.TopRows t -> new Plan.TopRows(t.scope(), m.name(), t.rank(), t.label());
            case Plan.Share s
            when s.column() != null -> new Plan.Share(s.scope(), m.name(), s.groupBy(), s.condition());
            case Plan.Values v -> new Plan.Values(v.scope(), m.name());
            case Plan.Missing x when x.column() != null -> new Plan.Missing(x.scope(), m.name());
            case Plan.Summary x when x.column() != null -> new Plan.Summary(x.scope(), m.name());
            case Plan.Trend t
            when t.column() != null -> new Plan.Trend(t.scope(), m.name(), t.agg(), t.date(), t.grain(), t.rank());
            case Plan.Distribution d -> new Plan.Distribution(d.scope(), m.name());
            case Plan.Outliers o -> new Plan.Outliers(o.scope(), m.name());
            case Plan.Value v -> new Plan.Value(v.scope(), m.name());
            case Plan.Compare c
            when c.column() != null -> new Plan.Compare(c.scope(), m.name(), c.agg(), null, c.sides(), c.per());
            default -> throw new NotUnderstood(cannot);
        };
        Agg agg = switch (replaced) {
            case Plan.Aggregate a -> a.agg();
            case Plan.Trend t -> t.agg();
            case Plan.Compare c -> c.agg();
            default -> null;
        };
        if (agg == Agg.SUM && asked == null && !Planner.additive(m) && !(plan instanceof Plan.Count)) {
            throw new NotUnderstood("a total of '" + m.name() + "' would add up values that are not amounts; say"
                    + " which statistic of it you want");
        }
        if (replaced.scope().measured() != null) {
            // the computed column was the previous measure: the new one is a column of the data
            replaced = replaced.withScope(replaced.scope().withDerived(null, List.of()));
        }
        return replaced;
    }

    /** The previous plan cut at the first {@code limit} groups or rows ("top 3?", "and the lowest?"). */
    private static Plan ranked(Plan plan, Parts p) {
        boolean ascending = Boolean.FALSE.equals(p.highest);
        return switch (plan) {
            case Plan.Count c
            when !c.groupBy().isEmpty() ->
                new Plan.Count(c.scope(), c.groupBy(), new Rank(limit(p, c.rank()), ascending));
            case Plan.Aggregate a
            when !a.groupBy().isEmpty() ->
                new Plan.Aggregate(
                        a.scope(), a.column(), a.agg(), a.groupBy(), new Rank(limit(p, a.rank()), ascending), null);
            case Plan.TopRows t ->
                new Plan.TopRows(t.scope(), t.column(), new Rank(limit(p, t.rank()), ascending), t.label());
            case Plan.Trend t ->
                new Plan.Trend(
                        t.scope(), t.column(), t.agg(), t.date(), t.grain(), new Rank(limit(p, t.rank()), ascending));
            case Plan.Correlations c ->
                new Plan.Correlations(
                        c.scope(), c.column(), p.limit != null ? p.limit : c.limit() != null ? c.limit() : 1);
            case Plan.Head h -> new Plan.Head(h.scope(), p.limit != null ? p.limit : h.limit(), h.first());
            default -> throw new NotUnderstood("the previous answer has no groups to rank");
        };
    }

    private static int limit(Parts p, Rank previous) {
        return p.limit != null ? p.limit : previous != null ? previous.limit() : 1;
    }
}
