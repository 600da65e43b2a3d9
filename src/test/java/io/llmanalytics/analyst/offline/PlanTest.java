package io.llmanalytics.analyst.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.analyst.offline.Plan.Chart;
import io.llmanalytics.analyst.offline.Plan.Grain;
import io.llmanalytics.analyst.offline.Plan.Rank;
import io.llmanalytics.analyst.offline.Plan.Scope;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One record per kind of question: readings the code cannot execute cannot be built, and every kind travels. */
class PlanTest {

    private static final Filter EAST = Filter.text("region", Filter.Op.EQ, List.of("East"));
    private static final Filter WEST = Filter.text("region", Filter.Op.EQ, List.of("West"));
    private static final Scope SCOPE = new Scope(
            List.of(Filter.text("date", Filter.Op.PERIOD, List.of("2024"))),
            List.of(Filter.text("date", Filter.Op.PERIOD, List.of("2024"))),
            "stock_value",
            List.of("price", "stock"),
            new Plan.Join("reps", "sales_rep", "rep", List.of("team")),
            Chart.BAR,
            "orders");

    /** One plan of every kind. */
    static final List<Plan> EVERY_KIND = List.of(
            new Plan.Count(SCOPE, List.of("region"), new Rank(3, false)),
            new Plan.Aggregate(SCOPE, "revenue", Agg.SUM, List.of("region"), new Rank(2, true), null),
            new Plan.Aggregate(SCOPE, "revenue", Agg.MEDIAN, List.of(), null, "order_id"),
            new Plan.TopRows(SCOPE, "revenue", new Rank(5, false), "name"),
            new Plan.Share(SCOPE, "revenue", List.of("region"), null),
            new Plan.Share(SCOPE, null, List.of(), Filter.flag("smoker", true)),
            new Plan.Values(SCOPE, "region"),
            new Plan.Columns(Scope.ALL),
            new Plan.Shape(Scope.ALL),
            new Plan.Missing(SCOPE, null),
            new Plan.Summary(SCOPE, "price"),
            new Plan.Correlation(SCOPE, "price", "stock"),
            new Plan.Correlations(SCOPE, "price", 3),
            new Plan.Trend(SCOPE, "revenue", Agg.SUM, "date", Grain.MONTH, new Rank(1, false)),
            new Plan.Distribution(SCOPE, "price"),
            new Plan.Outliers(SCOPE, "price"),
            new Plan.Head(SCOPE, 5, false),
            new Plan.Value(SCOPE, "price"),
            new Plan.Compare(SCOPE, "revenue", Agg.SUM, null, List.of(EAST, WEST), null),
            new Plan.Compare(SCOPE, null, null, Filter.flag("smoker", true), List.of(EAST, WEST), null));

    @Test
    void everyKindIsNamedForTheCommentAndTravelsInIt() {
        Set<Class<?>> permitted = Set.of(Plan.class.getPermittedSubclasses());
        Set<Class<?>> named = Arrays.stream(
                        Plan.class.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::value)
                .collect(Collectors.toSet());
        assertEquals(permitted, named, "@JsonSubTypes lists exactly the permitted kinds");
        assertEquals(
                permitted,
                EVERY_KIND.stream().map(Object::getClass).collect(Collectors.toSet()),
                "this test has a plan of every kind");
        Lexicon lexicon = Lexicon.of(TestTables.csv(
                "t", "region,revenue,price,stock,date,order_id,name,smoker\n" + "East,1,2,3,2024-01-01,1,a,yes\n"));
        for (Plan plan : EVERY_KIND) {
            String comment = PlanComment.write(plan);
            assertEquals(plan, PlanComment.read(comment).orElseThrow(), comment);
            assertTrue(
                    !Describe.reading(plan).isBlank() && !Describe.subject(plan).isBlank(), plan::toString);
            assertTrue(new CodeWriter(lexicon, "df").write(plan).contains("result = "), plan::toString);
        }
    }

    @Test
    void readingsTheCodeCannotExecuteCannotBeBuilt() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Plan.Compare(Scope.ALL, "revenue", Agg.SUM, null, List.of(EAST), null),
                "one side");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Plan.Compare(Scope.ALL, "revenue", null, null, List.of(EAST, WEST), null),
                "no statistic");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Plan.Compare(
                        Scope.ALL, "revenue", Agg.SUM, Filter.flag("smoker", true), List.of(EAST, WEST), null),
                "a share and a statistic at once");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Plan.Aggregate(Scope.ALL, "revenue", Agg.SUM, List.of(), new Rank(3, false), null),
                "a ranking without groups");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Plan.Count(Scope.ALL, List.of(), new Rank(3, false)),
                "a ranking of one count");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Plan.Aggregate(Scope.ALL, "revenue", Agg.MEDIAN, List.of("region"), null, "order_id"),
                "per-order totals grouped");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Plan.Share(Scope.ALL, null, List.of(), null),
                "a share of nothing");
        assertThrows(
                IllegalArgumentException.class,
                () -> new Plan.Trend(Scope.ALL, "revenue", Agg.SUM, null, Grain.MONTH, null),
                "a trend without date");
        assertThrows(IllegalArgumentException.class, () -> new Rank(0, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Scope(List.of(), List.of(), "stock_value", List.of(), null, Chart.NONE, null),
                "a computed column without its factors");
    }

    @Test
    void aFollowUpTheKindCannotTakeIsDeclinedNotIgnored() {
        Lexicon titanic = Lexicon.of(TestTables.dabenchSchema("titanic.csv"));
        Plan distribution = new Planner(titanic).plan(new QuestionReader(titanic).read("distribution of age"));
        NotUnderstood top = assertThrows(
                NotUnderstood.class,
                () -> new FollowUp(titanic).merge(new QuestionReader(titanic).read("and the top 3?"), distribution));
        assertTrue(top.getMessage().contains("no groups to rank"), top::getMessage);
        Plan count = new Planner(titanic).plan(new QuestionReader(titanic).read("how many passengers survived"));
        assertThrows(
                NotUnderstood.class,
                () -> new FollowUp(titanic).merge(new QuestionReader(titanic).read("and the top 3?"), count),
                "one count has nothing to rank");
        Plan byClass = new Planner(titanic).plan(new QuestionReader(titanic).read("number of passengers by class"));
        Plan ranked = new FollowUp(titanic).merge(new QuestionReader(titanic).read("and the top 2?"), byClass);
        assertEquals(
                new Rank(2, false), assertInstanceOf(Plan.Count.class, ranked).rank());
    }
}
