package io.llmanalytics.analyst.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.analyst.Interaction;
import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.analyst.offline.Plan.Chart;
import io.llmanalytics.analyst.offline.Plan.Grain;
import io.llmanalytics.schema.DatasetSchema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What questions are understood to ask (the plan), what follow-ups change, and what is refused rather than guessed. */
class QuestionParserTest {

    private static final DatasetSchema SALES = TestTables.salesSchema();
    private static final DatasetSchema TITANIC = TestTables.dabenchSchema("titanic.csv");

    private static Plan plan(DatasetSchema schema, String question) {
        return QuestionParser.understand(question, List.of(schema), List.of()).plan();
    }

    private static Plan sales(String question) {
        return plan(SALES, question);
    }

    private static Filter only(Plan plan) {
        assertEquals(1, PlanParts.filters(plan).size(), () -> "filters of " + plan);
        return PlanParts.filters(plan).get(0);
    }

    private static List<String> refused(DatasetSchema schema, String question) {
        return assertThrows(NotUnderstood.class, () -> plan(schema, question), question)
                .reasons();
    }

    @Test
    void aggregatesOverallAndByGroups() {
        Plan p = sales("What's the total revenue by category?");
        assertEquals(Plan.Aggregate.class, p.getClass());
        assertEquals("revenue", PlanParts.column(p));
        assertEquals(Agg.SUM, PlanParts.agg(p));
        assertEquals(List.of("category"), PlanParts.groupBy(p));
        assertEquals(Agg.MEAN, PlanParts.agg(sales("avg price")));
        assertEquals(Agg.MEDIAN, PlanParts.agg(sales("median quantity per region")));
        assertEquals(Agg.MAX, PlanParts.agg(sales("what is the maximum price")));
        assertEquals(Agg.MIN, PlanParts.agg(sales("the lowest price")));
        assertEquals(Agg.STD, PlanParts.agg(sales("standard deviation of revenue")));
        assertEquals(List.of("category", "region"), PlanParts.groupBy(sales("revenue by category and region")));
        assertEquals(Agg.SUM, PlanParts.agg(sales("revenue by region")), "revenue adds up");
        assertEquals(Agg.NUNIQUE, PlanParts.agg(sales("how many different products")));
    }

    @Test
    void countsRowsWithConditions() {
        Plan p = plan(TITANIC, "How many passengers survived?");
        assertEquals(Plan.Count.class, p.getClass());
        assertEquals(Filter.Op.YES, only(p).op());
        assertEquals("passengers", p.scope().entity());
        assertEquals(
                Filter.Op.NO,
                only(plan(TITANIC, "how many passengers did not survive")).op());
        Plan female = plan(TITANIC, "number of female passengers by class");
        assertEquals(List.of("Pclass"), PlanParts.groupBy(female));
        assertEquals(new Filter("Sex", Filter.Op.EQ, List.of("female"), List.of()), only(female));
        assertEquals(Plan.Count.class, sales("How many rows are there?").getClass());
    }

    @Test
    void readsComparisonsRangesAndSearches() {
        assertEquals(
                Filter.number("quantity", Filter.Op.GT, List.of(10.0)),
                only(sales("how many orders with quantity over 10")));
        assertEquals(
                Filter.number("quantity", Filter.Op.GE, List.of(10.0)),
                only(sales("how many orders with quantity of 10 or more")));
        assertEquals(Filter.number("price", Filter.Op.LT, List.of(20.0)), only(sales("count orders where price < 20")));
        assertEquals(
                Filter.number("price", Filter.Op.LE, List.of(20.0)), only(sales("count orders with price at most 20")));
        assertEquals(
                Filter.number("price", Filter.Op.BETWEEN, List.of(10.0, 50.0)),
                only(sales("how many orders have a price between 50 and 10")));
        assertEquals(
                Filter.number("Age", Filter.Op.GT, List.of(60.0)),
                only(plan(TITANIC, "how many passengers are older than 60")));
        assertEquals(Filter.number("Age", Filter.Op.LT, List.of(10.0)), only(plan(TITANIC, "how many kids under 10")));
        assertEquals(
                Filter.text("Name", Filter.Op.CONTAINS, List.of("Smith")),
                only(plan(TITANIC, "how many passengers with a name containing 'Smith'")));
        assertEquals(
                Filter.number("Pclass", Filter.Op.EQ, List.of(1.0)),
                only(plan(TITANIC, "average fare in first class")));
        assertEquals(
                Filter.number("Pclass", Filter.Op.EQ, List.of(3.0)), only(plan(TITANIC, "average fare for 3rd class")));
        assertEquals(
                Filter.number("Pclass", Filter.Op.EQ, List.of(2.0)), only(plan(TITANIC, "average fare for Pclass 2")));
    }

    @Test
    void readsValuesOneOfSeveralAndExclusions() {
        assertEquals(
                Filter.text("category", Filter.Op.EQ, List.of("Electronics")), only(sales("revenue in Electronics")));
        // two values of one column are compared side by side, never pooled (issue 14)
        assertEquals(
                List.of(
                        Filter.text("region", Filter.Op.EQ, List.of("North")),
                        Filter.text("region", Filter.Op.EQ, List.of("South"))),
                ((Plan.Compare) sales("total revenue in north or south")).sides());
        assertEquals(
                Filter.text("category", Filter.Op.NE, List.of("Electronics")),
                only(sales("total revenue excluding electronics")));
        assertEquals(Filter.text(null, Filter.Op.LOOKUP, List.of("Stapler")), only(sales("total revenue for Stapler")));
        assertEquals(
                Filter.text(null, Filter.Op.LOOKUP, List.of("Stapler")), only(sales("total revenue for 'Stapler'")));
    }

    @Test
    void readsDates() {
        assertEquals(Filter.text("date", Filter.Op.PERIOD, List.of("2024")), only(sales("revenue in 2024")));
        assertEquals(Filter.text("date", Filter.Op.PERIOD, List.of("2024-03")), only(sales("revenue in March 2024")));
        assertEquals(Filter.text("date", Filter.Op.PERIOD, List.of("2024-03")), only(sales("revenue in 2024-3")));
        assertEquals(Filter.number("date", Filter.Op.MONTH, List.of(3.0)), only(sales("revenue in march")));
        assertEquals(Filter.text("date", Filter.Op.GE, List.of("2024-01-01")), only(sales("revenue after 2023")));
        assertEquals(Filter.text("date", Filter.Op.LT, List.of("2024-06-01")), only(sales("revenue before June 2024")));
        assertEquals(Filter.text("date", Filter.Op.GE, List.of("2023-06-01")), only(sales("revenue since 2023-06")));
    }

    @Test
    void ranksGroupsAndRows() {
        Plan top = sales("Top 3 products by revenue");
        assertEquals(Plan.Aggregate.class, top.getClass());
        assertEquals(List.of("product"), PlanParts.groupBy(top));
        assertEquals(3, PlanParts.limit(top));
        Plan least = sales("which region has the lowest average price");
        assertEquals(1, PlanParts.limit(least));
        assertTrue(PlanParts.ascending(least));
        assertEquals(Agg.MEAN, PlanParts.agg(least));
        Plan who = plan(TITANIC, "Who paid the highest fare?");
        assertEquals(Plan.TopRows.class, who.getClass());
        assertEquals("Fare", PlanParts.column(who));
        assertEquals(1, PlanParts.limit(who));
        Plan common = plan(TITANIC, "most common Embarked value");
        assertEquals(Plan.Count.class, common.getClass());
        assertEquals(List.of("Embarked"), PlanParts.groupBy(common));
        Plan expensive = sales("5 most expensive orders");
        assertEquals(Plan.TopRows.class, expensive.getClass());
        assertEquals("price", PlanParts.column(expensive), "expensive means the price column");
        Plan unique = plan(TestTables.dabenchSchema("2015.csv"), "Which country has the highest happiness score?");
        assertEquals(Plan.TopRows.class, unique.getClass(), "one row per country: the rows themselves");
        assertEquals("Country", PlanParts.other(unique));
        Plan max = plan(TITANIC, "what is the highest fare");
        assertEquals(Plan.Aggregate.class, max.getClass());
        assertEquals(Agg.MAX, PlanParts.agg(max));
    }

    @Test
    void trendsSharesAndTableQuestions() {
        Plan trend = sales("monthly revenue trend");
        assertEquals(Plan.Trend.class, trend.getClass());
        assertEquals(Grain.MONTH, PlanParts.grain(trend));
        assertEquals("date", PlanParts.date(trend));
        assertEquals(Grain.QUARTER, PlanParts.grain(sales("revenue by quarter")));
        assertEquals(Grain.DAY, PlanParts.grain(sales("revenue by date")));
        assertEquals(Grain.MONTH, PlanParts.grain(sales("revenue over time")), "two years of data: per month");
        assertEquals(Grain.YEAR, PlanParts.grain(sales("revenue per year")));
        assertEquals(Grain.WEEK, PlanParts.grain(sales("weekly number of orders")));
        assertEquals(Agg.COUNT, PlanParts.agg(sales("weekly number of orders")));
        Plan best = sales("Which month had the highest revenue?");
        assertEquals(Plan.Trend.class, best.getClass());
        assertEquals(1, PlanParts.limit(best));
        Plan share = sales("what share of revenue comes from each category");
        assertEquals(Plan.Share.class, share.getClass());
        assertEquals(List.of("category"), PlanParts.groupBy(share));
        Plan rate = plan(TITANIC, "survival rate by sex");
        assertEquals(Filter.flag("Survived", true), PlanParts.condition(rate));
        assertEquals(
                Plan.Missing.class,
                plan(TITANIC, "Which columns have missing values?").getClass());
        assertEquals("Age", PlanParts.column(plan(TITANIC, "how many missing values in age")));
        assertEquals(Plan.Columns.class, sales("what columns are there").getClass());
        assertEquals(Plan.Shape.class, sales("what is the shape of the data").getClass());
        assertEquals(Plan.Summary.class, sales("give me a summary of the data").getClass());
        assertEquals("price", PlanParts.column(sales("describe price")));
        assertEquals(
                Plan.Correlation.class,
                plan(TITANIC, "correlation between age and fare").getClass());
        assertEquals(
                Plan.Correlations.class,
                plan(TITANIC, "what is most correlated with fare").getClass());
        assertEquals(Plan.Correlations.class, sales("strongest correlations").getClass());
        assertEquals(
                Plan.Outliers.class,
                plan(TITANIC, "are there outliers in fare?").getClass());
        assertEquals(
                Plan.Distribution.class, plan(TITANIC, "distribution of age").getClass());
        assertEquals(Plan.Values.class, sales("what are the different regions?").getClass());
        assertEquals(Plan.Head.class, sales("show the first 10 rows").getClass());
        assertEquals(10, PlanParts.limit(sales("show the first 10 rows")));
        assertEquals(
                Plan.Value.class,
                plan(TestTables.dabenchSchema("2015.csv"), "happiness score of Denmark")
                        .getClass());
    }

    @Test
    void chartsAskedForAreDrawn() {
        assertEquals(Chart.BAR, PlanParts.chart(sales("plot revenue by region")));
        assertEquals(Chart.LINE, PlanParts.chart(sales("chart the monthly revenue")));
        assertEquals(Chart.PIE, PlanParts.chart(sales("revenue by category as a pie chart")));
        assertEquals(Chart.HISTOGRAM, PlanParts.chart(plan(TITANIC, "histogram of age")));
        assertEquals(Chart.SCATTER, PlanParts.chart(plan(TITANIC, "scatter plot of age and fare correlation")));
        assertEquals(Chart.NONE, PlanParts.chart(sales("revenue by region")));
    }

    @Test
    void followUpsChangeThePreviousQuestion() {
        List<Interaction> context = new ArrayList<>();
        Plan first = ask("What's the total revenue by category?", context);
        Plan furniture = ask("and for Furniture?", context);
        assertEquals(List.of(), PlanParts.groupBy(furniture), "one category is asked for, not the breakdown");
        assertEquals(Filter.text("category", Filter.Op.EQ, List.of("Furniture")), only(furniture));
        assertEquals(PlanParts.column(first), PlanParts.column(furniture));
        Plan region = ask("now by region", context);
        assertEquals(List.of("region"), PlanParts.groupBy(region));
        assertEquals(only(furniture), only(region), "the condition stays");
        Plan chart = ask("show that as a chart", context);
        assertEquals(Chart.BAR, PlanParts.chart(chart));
        assertEquals(PlanParts.groupBy(region), PlanParts.groupBy(chart));
        Plan median = ask("what about the median?", context);
        assertEquals(Agg.MEDIAN, PlanParts.agg(median));
        Plan quantity = ask("and quantity?", context);
        assertEquals("quantity", PlanParts.column(quantity));
        Plan monthly = ask("monthly", context);
        assertEquals(Plan.Trend.class, monthly.getClass());
        Plan north = ask("only in the north", context);
        assertEquals(2, PlanParts.filters(north).size());
    }

    @Test
    void followUpsThatDoNotFitThePreviousQuestionAreRefused() {
        List<Interaction> context = new ArrayList<>();
        ask("total revenue in 2024", context);
        assertThrows(NotUnderstood.class, () -> ask("show that as a chart", context), "a single value");
        assertThrows(NotUnderstood.class, () -> ask("and the top 3?", context), "nothing to rank");
        assertThrows(NotUnderstood.class, () -> ask("and for the customers?", context), "new rows");
        Plan trend = ask("now per month", context);
        assertEquals(Plan.Trend.class, trend.getClass());
        assertEquals(Grain.MONTH, PlanParts.grain(trend));
        Plan byRegion = ask("and by region", context);
        assertEquals(Plan.Aggregate.class, byRegion.getClass(), "a trend broken down by a column is a grouping");
        assertEquals(List.of("region"), PlanParts.groupBy(byRegion));
        Plan top = ask("and the top 2?", context);
        assertEquals(2, PlanParts.limit(top));
        Plan count = ask("how many orders by category", context);
        assertEquals(Plan.Count.class, count.getClass());
        Plan revenue = ask("what about revenue?", context);
        assertEquals(Plan.Aggregate.class, revenue.getClass());
        assertEquals(Agg.SUM, PlanParts.agg(revenue));
        assertEquals(List.of("category"), PlanParts.groupBy(revenue));
        assertThrows(NotUnderstood.class, () -> ask("what about price?", context), "the total or the average?");
        assertEquals(
                Plan.Correlation.class,
                ask("then the correlation between price and quantity", context).getClass(),
                "a complete question is answered as asked");
    }

    @Test
    void followUpsOfAnotherAnalystsAnswerReReadItsQuestion() {
        List<Interaction> context = List.of(
                new Interaction("average fare by sex", "result = df.groupby('Sex')['Fare'].mean()", "a series"));
        Plan p = QuestionParser.understand("and for first class?", List.of(TITANIC), context)
                .plan();
        assertEquals(Agg.MEAN, PlanParts.agg(p));
        assertEquals(List.of("Sex"), PlanParts.groupBy(p));
        assertEquals(Filter.number("Pclass", Filter.Op.EQ, List.of(1.0)), only(p));
    }

    private static Plan ask(String question, List<Interaction> context) {
        QuestionParser.Understood u = QuestionParser.understand(question, List.of(SALES), context);
        context.add(new Interaction(question, new CodeWriter(u.lexicon(), "df").write(u.plan()), null));
        return u.plan();
    }

    @Test
    void refusesRatherThanGuesses() {
        assertTrue(refused(SALES, "Why did revenue drop in March?").get(0).contains("'drop'"));
        assertTrue(refused(SALES, "predict next month").get(0).contains("match no column"));
        assertTrue(refused(TITANIC, "fare by class").get(0).contains("which statistic"));
        assertTrue(refused(TestTables.dabenchSchema("abalone.csv"), "average weight")
                .get(0)
                .contains("could mean"));
        assertTrue(refused(SALES, "average price and quantity").get(0).contains("one column"));
        assertTrue(refused(SALES, "min and max price").get(0).contains("one aggregation"));
        assertTrue(refused(SALES, "which region sold the least?").get(0).contains("rank"));
        refused(SALES, "revenue by flavour");
        refused(SALES, "correlation between region and category");
        assertThrows(
                NotUnderstood.class,
                () -> QuestionParser.understand("and for Furniture?", List.of(SALES), List.of()),
                "a follow-up with nothing before it");
    }

    @Test
    void theDefaultDatasetIsTriedFirstThenTheOthers() {
        QuestionParser.Understood u = QuestionParser.understand("average Fare", List.of(SALES, TITANIC), List.of());
        assertEquals(1, u.dataset());
        assertEquals(
                0,
                QuestionParser.understand("average price", List.of(SALES, TITANIC), List.of())
                        .dataset());
        assertNull(PlanComment.read("result = 1").orElse(null));
    }
}
