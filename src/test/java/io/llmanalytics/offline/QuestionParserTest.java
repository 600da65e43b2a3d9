package io.llmanalytics.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.llmanalytics.llm.Interaction;
import io.llmanalytics.offline.Plan.Agg;
import io.llmanalytics.offline.Plan.Chart;
import io.llmanalytics.offline.Plan.Grain;
import io.llmanalytics.offline.Plan.Task;
import io.llmanalytics.schema.DatasetSchema;

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
        assertEquals(1, plan.filters().size(), () -> "filters of " + plan);
        return plan.filters().get(0);
    }

    private static List<String> refused(DatasetSchema schema, String question) {
        return assertThrows(NotUnderstood.class, () -> plan(schema, question), question).reasons();
    }

    @Test
    void aggregatesOverallAndByGroups() {
        Plan p = sales("What's the total revenue by category?");
        assertEquals(Task.AGGREGATE, p.task());
        assertEquals("revenue", p.column());
        assertEquals(Agg.SUM, p.agg());
        assertEquals(List.of("category"), p.groupBy());
        assertEquals(Agg.MEAN, sales("avg price").agg());
        assertEquals(Agg.MEDIAN, sales("median quantity per region").agg());
        assertEquals(Agg.MAX, sales("what is the maximum price").agg());
        assertEquals(Agg.MIN, sales("the lowest price").agg());
        assertEquals(Agg.STD, sales("standard deviation of revenue").agg());
        assertEquals(List.of("category", "region"), sales("revenue by category and region").groupBy());
        assertEquals(Agg.SUM, sales("revenue by region").agg(), "revenue adds up");
        assertEquals(Agg.NUNIQUE, sales("how many different products").agg());
    }

    @Test
    void countsRowsWithConditions() {
        Plan p = plan(TITANIC, "How many passengers survived?");
        assertEquals(Task.COUNT, p.task());
        assertEquals(Filter.Op.YES, only(p).op());
        assertEquals("passengers", p.entity());
        assertEquals(Filter.Op.NO, only(plan(TITANIC, "how many passengers did not survive")).op());
        Plan female = plan(TITANIC, "number of female passengers by class");
        assertEquals(List.of("Pclass"), female.groupBy());
        assertEquals(new Filter("Sex", Filter.Op.EQ, List.of("female"), List.of()), only(female));
        assertEquals(Task.COUNT, sales("How many rows are there?").task());
    }

    @Test
    void readsComparisonsRangesAndSearches() {
        assertEquals(Filter.number("quantity", Filter.Op.GT, List.of(10.0)), only(sales("how many orders with quantity over 10")));
        assertEquals(Filter.number("quantity", Filter.Op.GE, List.of(10.0)), only(sales("how many orders with quantity of 10 or more")));
        assertEquals(Filter.number("price", Filter.Op.LT, List.of(20.0)), only(sales("count orders where price < 20")));
        assertEquals(Filter.number("price", Filter.Op.LE, List.of(20.0)), only(sales("count orders with price at most 20")));
        assertEquals(Filter.number("price", Filter.Op.BETWEEN, List.of(10.0, 50.0)),
                only(sales("how many orders have a price between 50 and 10")));
        assertEquals(Filter.number("Age", Filter.Op.GT, List.of(60.0)), only(plan(TITANIC, "how many passengers are older than 60")));
        assertEquals(Filter.number("Age", Filter.Op.LT, List.of(10.0)), only(plan(TITANIC, "how many kids under 10")));
        assertEquals(Filter.text("Name", Filter.Op.CONTAINS, List.of("Smith")),
                only(plan(TITANIC, "how many passengers with a name containing 'Smith'")));
        assertEquals(Filter.number("Pclass", Filter.Op.EQ, List.of(1.0)), only(plan(TITANIC, "average fare in first class")));
        assertEquals(Filter.number("Pclass", Filter.Op.EQ, List.of(3.0)), only(plan(TITANIC, "average fare for 3rd class")));
        assertEquals(Filter.number("Pclass", Filter.Op.EQ, List.of(2.0)), only(plan(TITANIC, "average fare for Pclass 2")));
    }

    @Test
    void readsValuesOneOfSeveralAndExclusions() {
        assertEquals(Filter.text("category", Filter.Op.EQ, List.of("Electronics")), only(sales("revenue in Electronics")));
        // two values of one column are compared side by side, never pooled (issue 14)
        assertEquals(List.of(Filter.text("region", Filter.Op.EQ, List.of("North")),
                Filter.text("region", Filter.Op.EQ, List.of("South"))), sales("total revenue in north or south").sides());
        assertEquals(Filter.text("category", Filter.Op.NE, List.of("Electronics")),
                only(sales("total revenue excluding electronics")));
        assertEquals(Filter.text(null, Filter.Op.LOOKUP, List.of("Stapler")), only(sales("total revenue for Stapler")));
        assertEquals(Filter.text(null, Filter.Op.LOOKUP, List.of("Stapler")), only(sales("total revenue for 'Stapler'")));
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
        assertEquals(Task.AGGREGATE, top.task());
        assertEquals(List.of("product"), top.groupBy());
        assertEquals(3, top.limit());
        Plan least = sales("which region has the lowest average price");
        assertEquals(1, least.limit());
        assertTrue(least.ascending());
        assertEquals(Agg.MEAN, least.agg());
        Plan who = plan(TITANIC, "Who paid the highest fare?");
        assertEquals(Task.TOP_ROWS, who.task());
        assertEquals("Fare", who.column());
        assertEquals(1, who.limit());
        Plan common = plan(TITANIC, "most common Embarked value");
        assertEquals(Task.COUNT, common.task());
        assertEquals(List.of("Embarked"), common.groupBy());
        Plan expensive = sales("5 most expensive orders");
        assertEquals(Task.TOP_ROWS, expensive.task());
        assertEquals("price", expensive.column(), "expensive means the price column");
        Plan unique = plan(TestTables.dabenchSchema("2015.csv"), "Which country has the highest happiness score?");
        assertEquals(Task.TOP_ROWS, unique.task(), "one row per country: the rows themselves");
        assertEquals("Country", unique.other());
        Plan max = plan(TITANIC, "what is the highest fare");
        assertEquals(Task.AGGREGATE, max.task());
        assertEquals(Agg.MAX, max.agg());
    }

    @Test
    void trendsSharesAndTableQuestions() {
        Plan trend = sales("monthly revenue trend");
        assertEquals(Task.TREND, trend.task());
        assertEquals(Grain.MONTH, trend.grain());
        assertEquals("date", trend.date());
        assertEquals(Grain.QUARTER, sales("revenue by quarter").grain());
        assertEquals(Grain.DAY, sales("revenue by date").grain());
        assertEquals(Grain.MONTH, sales("revenue over time").grain(), "two years of data: per month");
        assertEquals(Grain.YEAR, sales("revenue per year").grain());
        assertEquals(Grain.WEEK, sales("weekly number of orders").grain());
        assertEquals(Agg.COUNT, sales("weekly number of orders").agg());
        Plan best = sales("Which month had the highest revenue?");
        assertEquals(Task.TREND, best.task());
        assertEquals(1, best.limit());
        Plan share = sales("what share of revenue comes from each category");
        assertEquals(Task.SHARE, share.task());
        assertEquals(List.of("category"), share.groupBy());
        Plan rate = plan(TITANIC, "survival rate by sex");
        assertEquals(Filter.flag("Survived", true), rate.condition());
        assertEquals(Task.MISSING, plan(TITANIC, "Which columns have missing values?").task());
        assertEquals("Age", plan(TITANIC, "how many missing values in age").column());
        assertEquals(Task.COLUMNS, sales("what columns are there").task());
        assertEquals(Task.SHAPE, sales("what is the shape of the data").task());
        assertEquals(Task.DESCRIBE, sales("give me a summary of the data").task());
        assertEquals("price", sales("describe price").column());
        assertEquals(Task.CORRELATION, plan(TITANIC, "correlation between age and fare").task());
        assertEquals(Task.CORRELATIONS, plan(TITANIC, "what is most correlated with fare").task());
        assertEquals(Task.CORRELATIONS, sales("strongest correlations").task());
        assertEquals(Task.OUTLIERS, plan(TITANIC, "are there outliers in fare?").task());
        assertEquals(Task.DISTRIBUTION, plan(TITANIC, "distribution of age").task());
        assertEquals(Task.VALUES, sales("what are the different regions?").task());
        assertEquals(Task.HEAD, sales("show the first 10 rows").task());
        assertEquals(10, sales("show the first 10 rows").limit());
        assertEquals(Task.VALUE, plan(TestTables.dabenchSchema("2015.csv"), "happiness score of Denmark").task());
    }

    @Test
    void chartsAskedForAreDrawn() {
        assertEquals(Chart.BAR, sales("plot revenue by region").chart());
        assertEquals(Chart.LINE, sales("chart the monthly revenue").chart());
        assertEquals(Chart.PIE, sales("revenue by category as a pie chart").chart());
        assertEquals(Chart.HISTOGRAM, plan(TITANIC, "histogram of age").chart());
        assertEquals(Chart.SCATTER, plan(TITANIC, "scatter plot of age and fare correlation").chart());
        assertEquals(Chart.NONE, sales("revenue by region").chart());
    }

    @Test
    void followUpsChangeThePreviousQuestion() {
        List<Interaction> context = new ArrayList<>();
        Plan first = ask("What's the total revenue by category?", context);
        Plan furniture = ask("and for Furniture?", context);
        assertEquals(List.of(), furniture.groupBy(), "one category is asked for, not the breakdown");
        assertEquals(Filter.text("category", Filter.Op.EQ, List.of("Furniture")), only(furniture));
        assertEquals(first.column(), furniture.column());
        Plan region = ask("now by region", context);
        assertEquals(List.of("region"), region.groupBy());
        assertEquals(only(furniture), only(region), "the condition stays");
        Plan chart = ask("show that as a chart", context);
        assertEquals(Chart.BAR, chart.chart());
        assertEquals(region.groupBy(), chart.groupBy());
        Plan median = ask("what about the median?", context);
        assertEquals(Agg.MEDIAN, median.agg());
        Plan quantity = ask("and quantity?", context);
        assertEquals("quantity", quantity.column());
        Plan monthly = ask("monthly", context);
        assertEquals(Task.TREND, monthly.task());
        Plan north = ask("only in the north", context);
        assertEquals(2, north.filters().size());
    }

    @Test
    void followUpsThatDoNotFitThePreviousQuestionAreRefused() {
        List<Interaction> context = new ArrayList<>();
        ask("total revenue in 2024", context);
        assertThrows(NotUnderstood.class, () -> ask("show that as a chart", context), "a single value");
        assertThrows(NotUnderstood.class, () -> ask("and the top 3?", context), "nothing to rank");
        assertThrows(NotUnderstood.class, () -> ask("and for the customers?", context), "new rows");
        Plan trend = ask("now per month", context);
        assertEquals(Task.TREND, trend.task());
        assertEquals(Grain.MONTH, trend.grain());
        Plan byRegion = ask("and by region", context);
        assertEquals(Task.AGGREGATE, byRegion.task(), "a trend broken down by a column is a grouping");
        assertEquals(List.of("region"), byRegion.groupBy());
        Plan top = ask("and the top 2?", context);
        assertEquals(2, top.limit());
        Plan count = ask("how many orders by category", context);
        assertEquals(Task.COUNT, count.task());
        Plan revenue = ask("what about revenue?", context);
        assertEquals(Task.AGGREGATE, revenue.task());
        assertEquals(Agg.SUM, revenue.agg());
        assertEquals(List.of("category"), revenue.groupBy());
        assertThrows(NotUnderstood.class, () -> ask("what about price?", context), "the total or the average?");
        assertEquals(Task.CORRELATION, ask("then the correlation between price and quantity", context).task(),
                "a complete question is answered as asked");
    }

    @Test
    void followUpsOfAnotherAnalystsAnswerReReadItsQuestion() {
        List<Interaction> context = List.of(new Interaction("average fare by sex",
                "result = df.groupby('Sex')['Fare'].mean()", "a series"));
        Plan p = QuestionParser.understand("and for first class?", List.of(TITANIC), context).plan();
        assertEquals(Agg.MEAN, p.agg());
        assertEquals(List.of("Sex"), p.groupBy());
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
        assertTrue(refused(TestTables.dabenchSchema("abalone.csv"), "average weight").get(0).contains("could mean"));
        assertTrue(refused(SALES, "average price and quantity").get(0).contains("one column"));
        assertTrue(refused(SALES, "min and max price").get(0).contains("one aggregation"));
        assertTrue(refused(SALES, "which region sold the least?").get(0).contains("rank"));
        refused(SALES, "revenue by flavour");
        refused(SALES, "correlation between region and category");
        assertThrows(NotUnderstood.class, () -> QuestionParser.understand("and for Furniture?", List.of(SALES),
                List.of()), "a follow-up with nothing before it");
    }

    @Test
    void theDefaultDatasetIsTriedFirstThenTheOthers() {
        QuestionParser.Understood u = QuestionParser.understand("average Fare", List.of(SALES, TITANIC), List.of());
        assertEquals(1, u.dataset());
        assertEquals(0, QuestionParser.understand("average price", List.of(SALES, TITANIC), List.of()).dataset());
        assertNull(PlanComment.read("result = 1").orElse(null));
    }
}
