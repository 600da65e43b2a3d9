package io.llmanalytics.analyst.offline;

import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.analyst.offline.Plan.Chart;
import io.llmanalytics.analyst.offline.Plan.Grain;
import java.util.List;

/** Test reading of a plan's parts, whatever its kind; fails when the kind has no such part. */
final class PlanParts {

    private PlanParts() {}

    static Agg agg(Plan plan) {
        return switch (plan) {
            case Plan.Aggregate a -> a.agg();
            case Plan.Trend t -> t.agg();
            case Plan.Compare c -> c.agg();
            default -> throw new AssertionError("no statistic in " + plan);
        };
    }

    static List<String> groupBy(Plan plan) {
        return switch (plan) {
            case Plan.Count c -> c.groupBy();
            case Plan.Aggregate a -> a.groupBy();
            case Plan.Share s -> s.groupBy();
            default -> throw new AssertionError("no groups in " + plan);
        };
    }

    static Plan.Rank rank(Plan plan) {
        return switch (plan) {
            case Plan.Count c -> c.rank();
            case Plan.Aggregate a -> a.rank();
            case Plan.TopRows t -> t.rank();
            case Plan.Trend t -> t.rank();
            default -> throw new AssertionError("no ranking in " + plan);
        };
    }

    static Integer limit(Plan plan) {
        return switch (plan) {
            case Plan.Head h -> h.limit();
            case Plan.Correlations c -> c.limit();
            default -> rank(plan) == null ? null : rank(plan).limit();
        };
    }

    static boolean ascending(Plan plan) {
        return rank(plan).ascending();
    }

    static String column(Plan plan) {
        return Plan.column(plan);
    }

    static String other(Plan plan) {
        return switch (plan) {
            case Plan.TopRows t -> t.label();
            case Plan.Correlation c -> c.other();
            case Plan.Aggregate a -> a.per();
            default -> throw new AssertionError("no second column in " + plan);
        };
    }

    static Grain grain(Plan plan) {
        return ((Plan.Trend) plan).grain();
    }

    static String date(Plan plan) {
        return ((Plan.Trend) plan).date();
    }

    static Filter condition(Plan plan) {
        return switch (plan) {
            case Plan.Share s -> s.condition();
            case Plan.Compare c -> c.condition();
            default -> throw new AssertionError("no condition in " + plan);
        };
    }

    static Chart chart(Plan plan) {
        return plan.scope().chart();
    }

    static List<Filter> filters(Plan plan) {
        return plan.scope().filters();
    }
}
