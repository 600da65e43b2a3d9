package io.llmanalytics.offline;

import java.util.List;

import io.llmanalytics.offline.Plan.Agg;
import io.llmanalytics.offline.Plan.Chart;
import io.llmanalytics.offline.Plan.Task;

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
                || a.equals("row") || a.equals("record") || a.equals("entry");
    }

    Plan merge(Parts p, Plan previous) {
        if (!p.problems.isEmpty()) {
            throw new NotUnderstood(p.problems);
        }
        if (!p.tasks.isEmpty() && !p.tasks.stream().allMatch(c -> c == Cue.ROWS || c == Cue.TREND)) {
            throw new NotUnderstood("this follow-up asks for something new; ask it as a full question");
        }
        if (p.target != null || p.rowTarget && !sameRows(p.entity, previous.entity())
                || p.entity != null && !sameRows(p.entity, previous.entity())) {
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
            if (!m.measure() || plan.column() == null && plan.task() != Task.COUNT
                    || plan.task() == Task.CORRELATION || plan.task() == Task.CORRELATIONS) {
                throw new NotUnderstood("'" + m.name() + "' cannot replace what the previous question measured");
            }
            plan = plan.withColumn(m.name());
            if (plan.agg() == Agg.SUM && p.agg() == null && !Planner.additive(m)) {
                throw new NotUnderstood("a total of '" + m.name() + "' would add up values that are not amounts; say"
                        + " which statistic of it you want");
            }
            if (plan.task() == Task.COUNT) {
                plan = plan.withTask(Task.AGGREGATE).withAgg(p.agg() != null ? p.agg()
                        : Planner.additive(m) ? Agg.SUM : null);
                if (plan.agg() == null) {
                    throw new NotUnderstood("say which statistic of '" + m.name() + "' you want");
                }
            }
        }
        if (p.agg() != null) {
            if (plan.task() != Task.AGGREGATE && plan.task() != Task.TREND || plan.column() == null) {
                throw new NotUnderstood("the previous answer has no column to compute the " + p.agg().words()
                        + " of");
            }
            plan = plan.withAgg(p.agg());
        }
        if (!p.groups.isEmpty()) {
            List<String> groups = p.groups.stream().map(Column::name).toList();
            // "by class" after "in 3rd class": all the groups are wanted now
            plan = plan.withFilters(plan.filters().stream().filter(f -> !groups.contains(f.column())).toList());
            switch (plan.task()) {
                case AGGREGATE, COUNT, SHARE -> plan = plan.withGroupBy(groups);
                case TREND -> plan = Plan.of(plan.column() == null ? Task.COUNT : Task.AGGREGATE)
                        .withColumn(plan.column()).withAgg(plan.column() == null ? null : plan.agg())
                        .withGroupBy(groups).withFilters(plan.filters()).withEntity(plan.entity());
                default -> throw new NotUnderstood("the previous answer cannot be broken down by a column");
            }
        }
        if (p.timeGrouping) {
            if (plan.task() != Task.AGGREGATE && plan.task() != Task.COUNT && plan.task() != Task.TREND) {
                throw new NotUnderstood("the previous answer cannot be followed over time");
            }
            Column date = p.timeColumn;
            if (date == null) {
                List<Column> dates = lexicon.dateColumns();
                if (dates.size() != 1) {
                    throw new NotUnderstood("name the date column to follow over time");
                }
                date = dates.get(0);
            }
            Plan.Grain grain = p.grain != null ? p.grain : plan.grain() != null ? plan.grain() : Plan.Grain.MONTH;
            plan = Plan.of(Task.TREND).withColumn(plan.column()).withAgg(plan.column() == null ? Agg.COUNT : plan.agg())
                    .withTime(date.name(), grain).withFilters(plan.filters()).withEntity(plan.entity());
        }
        List<Filter> filters = new java.util.ArrayList<>(p.filters);
        p.flags.forEach(f -> filters.add(Filter.flag(f.column().name(), f.yes())));
        if (!filters.isEmpty()) {
            plan = plan.withFiltersReplaced(filters);
            List<String> fixed = filters.stream().filter(f -> f.op() == Filter.Op.EQ || f.op() == Filter.Op.YES
                    || f.op() == Filter.Op.NO).map(Filter::column).toList();
            if (plan.groupBy().stream().anyMatch(fixed::contains) && p.groups.isEmpty()) {
                // "and for Furniture?" after "by category": one group is asked for, not a breakdown
                List<String> groups = plan.groupBy().stream().filter(g -> !fixed.contains(g)).toList();
                plan = plan.withGroupBy(groups);
                if (groups.isEmpty() && plan.limit() != null) {
                    plan = plan.withLimit(null, false);
                }
            }
        }
        if (p.limit != null || p.highest != null) {
            plan = plan.withLimit(p.limit != null ? p.limit : plan.limit() != null ? plan.limit() : 1,
                    Boolean.FALSE.equals(p.highest));
            if (plan.task() == Task.AGGREGATE && plan.groupBy().isEmpty() || plan.task() == Task.SHARE) {
                throw new NotUnderstood("the previous answer has no groups to rank");
            }
        }
        List<Filter> stated = filters;
        plan = plan.withInherited(plan.filters().stream().filter(f -> previous.filters().contains(f)
                && !stated.contains(f)).toList());
        if (p.chartAsked) {
            plan = Planner.withChart(plan, p.chart, lexicon);
        } else if (previous.chart() != Chart.NONE && plan != previous) {
            Plan charted = plan.withChart(plan.task() == Task.TREND ? Chart.LINE
                    : previous.chart() == Chart.LINE ? Chart.BAR : previous.chart());
            plan = CodeWriter.drawn(charted, lexicon) == Chart.NONE ? plan.withChart(Chart.NONE) : charted;
        }
        return plan;
    }
}
