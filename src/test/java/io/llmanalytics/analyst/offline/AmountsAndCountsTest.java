package io.llmanalytics.analyst.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.Interaction;
import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.schema.DatasetSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wrong-answer classes found by issue 14's held-out questions: a rate is never summed as if it were an amount, "how
 * many X" over repeating names is asked rather than guessed, and "cheapest product" is the product row(s).
 */
class AmountsAndCountsTest {

    private static final DatasetSchema LEDGER = TestTables.csv("ledger", """
            order_id,order_date,region,sales_rep,product_category,units,unit_price,discount,revenue
            1001,2023-01-05,East,Ann,Technology,2,400.00,0.1,720.00
            1002,2023-02-11,West,Bob,Furniture,1,250.00,0.0,250.00
            1003,2024-03-02,East,Cid,Office Supplies,10,5.00,0.0,50.00
            1004,2024-04-20,West,Ann,Technology,3,380.00,0.3,912.00
            1005,2024-05-09,North,Bob,Furniture,4,200.00,0.05,760.00
            1006,2024-06-30,South,Cid,Office Supplies,20,4.50,0.0,90.00
            """);
    /** One row per county; county names repeat across states. */
    private static final DatasetSchema COUNTIES = TestTables.csv("counties", """
            state_abbr,county_name,total_votes,per_dem
            TX,Franklin,100,0.31
            OH,Franklin,500,0.62
            TX,Harris,900,0.55
            OH,Adams,50,0.25
            TX,Adams,70,0.22
            """);

    private static final DatasetSchema PRODUCTS = TestTables.csv("products", """
            product_id,product_name,category,price,stock
            1,Kettle,Kitchen,30.00,10
            2,Rake,Garden,12.50,40
            3,Pan,Kitchen,25.00,0
            4,Trowel,Garden,12.50,5
            """);

    private static Plan plan(DatasetSchema schema, String question) {
        return QuestionParser.understand(question, List.of(schema), List.of()).plan();
    }

    private static NotUnderstood refused(DatasetSchema schema, String question) {
        return assertThrows(NotUnderstood.class, () -> plan(schema, question), question);
    }

    @Test
    void aRateIsNeverSummedByAnyPath() {
        for (String q : List.of(
                "total discount given",
                "sum of the discount",
                "total discount by region",
                "how much discount in 2024",
                "total discount East vs West",
                "total discount per month")) {
            NotUnderstood e = refused(LEDGER, q);
            assertTrue(e.getMessage().contains("'discount' holds rates (0–0.3)"), () -> q + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("revenue × discount"), e::getMessage);
            assertTrue(e.suggested().contains("average discount"), () -> q + ": " + e.suggested());
            Lexicon lexicon = Lexicon.of(LEDGER);
            for (String s : e.suggested()) {
                assertNotNull(new Planner(lexicon).plan(new QuestionReader(lexicon).read(s)), s);
            }
        }
        assertEquals(
                "average discount by region",
                refused(LEDGER, "total discount by region").suggested().get(0));
        assertEquals(
                List.of(), refused(LEDGER, "total discount by region").unrecognized(), "every word was understood");
        NotUnderstood share = refused(COUNTIES, "sum of per_dem by state_abbr");
        assertTrue(share.getMessage().contains("'per_dem' holds rates"), share::getMessage);
        // a follow-up asking for the total of a rate is declined too
        Lexicon lexicon = Lexicon.of(LEDGER);
        Plan average = plan(LEDGER, "average discount by region");
        assertThrows(
                NotUnderstood.class,
                () -> QuestionParser.plan(
                        "and the total?",
                        lexicon,
                        List.of(new Interaction(
                                "average discount by region", new CodeWriter(lexicon, "df").write(average), ""))));
    }

    @Test
    void averagesAndExtremesOfARateStayFine() {
        for (String q : List.of(
                "average discount",
                "average discount by region",
                "median discount in the North",
                "max discount by sales_rep",
                "average discount for Technology vs Furniture")) {
            Plan p = plan(LEDGER, q);
            assertEquals(null, Amounts.summed(p, Lexicon.of(LEDGER)), q);
        }
        Plan.Aggregate amount = assertInstanceOf(Plan.Aggregate.class, plan(LEDGER, "total revenue by region"));
        assertEquals(Agg.SUM, amount.agg(), "an amount is still summed");
    }

    @Test
    void theDeclineOfASumOfRatesIsAProblemWithParsingSuggestions() {
        ProblemException problem = assertThrows(
                ProblemException.class,
                () -> new OfflineAnalyst()
                        .generate(CodeRequest.first("total discount given", List.of(LEDGER), List.of(), false)));
        assertTrue(problem.problem().detail().contains("'discount' holds rates (0–0.3)"), problem.problem()::detail);
        @SuppressWarnings("unchecked")
        List<String> suggestions = (List<String>) problem.problem().extensions().get("suggestions");
        assertEquals("average discount given", suggestions.get(0), suggestions::toString);
        assertTrue(suggestions.contains("average discount"), suggestions::toString);
    }

    @Test
    void howManyOverRepeatingNamesIsAskedNotGuessed() {
        for (String q : List.of(
                "how many counties are there?",
                "how many county names",
                "number of counties",
                "count of counties",
                "how many counties in TX")) {
            NotUnderstood e = refused(COUNTIES, q);
            assertTrue(
                    e.getMessage().contains("repeat (3 distinct values in 5 rows)"), () -> q + ": " + e.getMessage());
            assertTrue(e.suggested().stream().anyMatch(s -> s.contains("rows")), () -> q + ": " + e.suggested());
            assertTrue(e.suggested().stream().anyMatch(s -> s.contains("distinct")), () -> q + ": " + e.suggested());
        }
        assertEquals(
                List.of("how many rows are there?", "how many distinct counties are there?"),
                refused(COUNTIES, "how many counties are there?").suggested().subList(0, 2));
        Plan.Aggregate distinct =
                assertInstanceOf(Plan.Aggregate.class, plan(COUNTIES, "how many distinct counties are there?"));
        assertEquals(Agg.NUNIQUE, distinct.agg());
        assertEquals(
                Agg.NUNIQUE,
                assertInstanceOf(Plan.Aggregate.class, plan(COUNTIES, "how many different counties"))
                        .agg());
        assertInstanceOf(Plan.Count.class, plan(COUNTIES, "how many rows are there?"));
        // unique per row: the row count and the distinct count are the same answer
        assertInstanceOf(Plan.Aggregate.class, plan(PRODUCTS, "how many product names are there?"));
    }

    @Test
    void fewCategoriesOnManyRowsCountTheirValues() {
        StringBuilder csv = new StringBuilder("order_id,region,revenue\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i)
                    .append(',')
                    .append(List.of("East", "West", "North").get(i % 3))
                    .append(",10\n");
        }
        DatasetSchema orders = TestTables.csv("orders", csv.toString());
        Plan.Aggregate regions = assertInstanceOf(Plan.Aggregate.class, plan(orders, "how many regions?"));
        assertEquals(Agg.NUNIQUE, regions.agg());
        assertInstanceOf(Plan.Count.class, plan(orders, "how many rows per region"));
    }

    @Test
    void aQuestionAboutTheDefaultDatasetIsNotReadAgainstAnother() {
        DatasetSchema reps = TestTables.csv("reps", """
                sales_rep,team
                Ann,Falcons
                Bob,Owls
                Cid,Owls
                """);
        // every word placed in the ledger, declined there: never the rows of the reps table
        NotUnderstood e = assertThrows(
                NotUnderstood.class,
                () -> QuestionParser.understand("how many regions?", List.of(LEDGER, reps), List.of()));
        assertTrue(e.getMessage().contains("'region' repeat"), e::getMessage);
    }

    @Test
    void scoresIndexesAndPercentagesAreNotSummedEither() {
        DatasetSchema people = TestTables.csv("people", """
                name,age,bmi,charges
                A,30,22.5,1000
                B,40,31.0,2500
                C,50,27.1,1800
                """);
        assertTrue(refused(people, "total bmi").getMessage().contains("'bmi' holds index values (22.5–31)"));
        assertTrue(refused(people, "sum of age").getMessage().contains("holds ages"));
        assertEquals(
                Agg.SUM,
                assertInstanceOf(Plan.Aggregate.class, plan(people, "total charges"))
                        .agg());
        DatasetSchema percents = TestTables.csv("percent-degrees-women", """
                Year,Engineering,Biology
                1970,0.8,29.1
                1971,1.0,29.4
                """);
        assertTrue(refused(percents, "total Engineering").getMessage().contains("holds percentages"));
        assertInstanceOf(Plan.Aggregate.class, plan(percents, "average Engineering"));
    }

    @Test
    void cheapestProductIsTheProductRowsWithTies() {
        Plan.TopRows cheapest = assertInstanceOf(Plan.TopRows.class, plan(PRODUCTS, "cheapest product"));
        assertEquals("price", cheapest.column());
        assertEquals("product_name", cheapest.label());
        assertTrue(cheapest.rank().ascending());
        String code = new CodeWriter(Lexicon.of(PRODUCTS), "df").write(cheapest);
        assertTrue(code.contains("nsmallest(1, 'price', keep='all')"), code);
        assertFalse(code.contains("groupby"), code);
        assertInstanceOf(Plan.TopRows.class, plan(PRODUCTS, "most expensive product"));
    }
}
