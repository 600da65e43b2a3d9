package io.llmanalytics.analyst.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.analyst.CodeRequest;
import io.llmanalytics.analyst.Generation;
import io.llmanalytics.analyst.Interaction;
import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.dataset.SharedColumn;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.schema.DatasetSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: comparisons side by side, rows by their id column, derived measures only when unambiguous, groupings
 * through a joined dataset, the reading text, inherited filters said, and declines that name the words not understood
 * with the closest questions that are understood.
 */
class TrustworthyReadingTest {

    private static final DatasetSchema LEDGER = TestTables.csv("ledger", """
            order_id,order_date,region,sales_rep,product_category,units,unit_price,discount,revenue
            1001,2023-01-05,East,Ann,Technology,2,400.00,0.1,720.00
            1002,2023-02-11,West,Bob,Furniture,1,250.00,0.0,250.00
            1003,2024-03-02,East,Cid,Office Supplies,10,5.00,0.0,50.00
            1004,2024-04-20,West,Ann,Technology,3,380.00,0.2,912.00
            1005,2024-05-09,North,Bob,Furniture,4,200.00,0.05,760.00
            1006,2024-06-30,South,Cid,Office Supplies,20,4.50,0.0,90.00
            """);
    private static final DatasetSchema REPS = TestTables.csv("reps", """
            sales_rep,team,manager
            Ann,Falcons,Nadia
            Bob,Owls,Peter
            Cid,Owls,Peter
            """);
    private static final DatasetSchema PRODUCTS = TestTables.csv("products", """
            product_id,product_name,category,price,stock
            1,Kettle,Kitchen,30.00,10
            2,Rake,Garden,12.50,40
            3,Pan,Kitchen,25.00,0
            """);
    private static final DatasetSchema INSURANCE = TestTables.dabenchSchema("insurance.csv");
    private static final SharedColumn REP_KEY =
            new SharedColumn("ledger", "sales_rep", "reps", "sales_rep", "object", 3, 3, 3, 1.0, true, false);

    private static Plan plan(DatasetSchema schema, String question) {
        return QuestionParser.understand(question, List.of(schema), List.of()).plan();
    }

    private static NotUnderstood refused(DatasetSchema schema, String question) {
        return assertThrows(NotUnderstood.class, () -> plan(schema, question), question);
    }

    @Test
    void comparisonsGiveOneFigurePerSideNeverAPooledOne() {
        for (String q : List.of(
                "Compare revenue for East vs West",
                "total revenue East versus West",
                "compare total revenue between East and West",
                "difference in total revenue between East and West",
                "total revenue for East and West")) {
            Plan.Compare p = assertInstanceOf(Plan.Compare.class, plan(LEDGER, q), q);
            assertEquals("revenue", p.column(), q);
            assertEquals(Agg.SUM, p.agg(), q);
            assertEquals(
                    List.of(
                            Filter.text("region", Filter.Op.EQ, List.of("East")),
                            Filter.text("region", Filter.Op.EQ, List.of("West"))),
                    p.sides(),
                    q);
            assertTrue(
                    p.scope().filters().isEmpty(),
                    () -> q + ": no pooled IN filter " + p.scope().filters());
        }
        Plan.Compare smokers =
                assertInstanceOf(Plan.Compare.class, plan(INSURANCE, "average charges for smokers vs non-smokers"));
        assertEquals(List.of(Filter.flag("smoker", true), Filter.flag("smoker", false)), smokers.sides());
        assertTrue(smokers.scope().filters().isEmpty(), "never smoker == yes AND smoker == no");
        String code = new CodeWriter(Lexicon.of(LEDGER), "df")
                .write(plan(LEDGER, "average discount for Technology" + " vs Furniture"));
        assertTrue(code.contains("figures['Technology'] = side['discount'].mean()"), code);
        assertTrue(code.contains("result['difference'] = first - second"), code);
        assertTrue(refused(LEDGER, "compare revenue").getMessage().contains("two things to compare"));
    }

    @Test
    void rowQuestionsAreAboutOrdersNeverTheirDates() {
        Plan.Aggregate largest = assertInstanceOf(Plan.Aggregate.class, plan(LEDGER, "largest single order"));
        assertEquals(List.of("order_id"), largest.groupBy());
        assertEquals("revenue", largest.column());
        assertEquals(1, largest.rank().limit());
        Plan.Aggregate top = assertInstanceOf(Plan.Aggregate.class, plan(LEDGER, "top 5 orders by revenue"));
        assertEquals(List.of("order_id"), top.groupBy());
        assertEquals(5, top.rank().limit());
        assertEquals(
                List.of("order_id"),
                assertInstanceOf(Plan.Aggregate.class, plan(LEDGER, "which order had the highest revenue"))
                        .groupBy());
        Plan.Aggregate median = assertInstanceOf(Plan.Aggregate.class, plan(LEDGER, "median revenue per order"));
        assertEquals(Agg.MEDIAN, median.agg());
        assertEquals("order_id", median.per(), "each order's total first");
        assertTrue(median.groupBy().isEmpty());
        String code = new CodeWriter(Lexicon.of(LEDGER), "df").write(median);
        assertTrue(code.contains("totals = data.groupby('order_id')['revenue'].sum()"), code);
        assertFalse(code.contains("order_date"), code);
    }

    @Test
    void derivedMeasuresComeFromNamedColumnsOrAreDeclined() {
        Plan.Aggregate value = assertInstanceOf(Plan.Aggregate.class, plan(PRODUCTS, "total stock value"));
        assertEquals(List.of("price", "stock"), value.scope().derived());
        assertEquals("stock_value", value.scope().measured());
        assertEquals(Agg.SUM, value.agg());
        String code = new CodeWriter(Lexicon.of(PRODUCTS), "df").write(value);
        assertTrue(code.contains("data['stock_value'] = data['price'] * data['stock']"), code);
        assertTrue(Describe.reading(value).contains("stock_value = price × stock"), Describe.reading(value));
        NotUnderstood order = refused(LEDGER, "total order value");
        assertTrue(order.unrecognized().contains("order value"), order.unrecognized()::toString);
        assertTrue(refused(LEDGER, "average margin by region").unrecognized().contains("margin"));
    }

    @Test
    void aGroupingIsNeverDroppedAndDeclinesNameTheWords() {
        for (String word : List.of("customer", "store", "team", "employee")) {
            NotUnderstood e = refused(LEDGER, "total revenue by " + word);
            assertEquals(List.of(word), e.unrecognized(), word);
        }
        ProblemException problem = assertThrows(
                ProblemException.class,
                () -> new OfflineAnalyst()
                        .generate(CodeRequest.first("total revenue by customer", List.of(LEDGER), List.of(), false)));
        assertEquals(List.of("customer"), problem.problem().extensions().get("unrecognized"));
        @SuppressWarnings("unchecked")
        List<String> suggestions = (List<String>) problem.problem().extensions().get("suggestions");
        assertFalse(suggestions.isEmpty());
        assertTrue(suggestions.get(0).startsWith("total revenue by "), suggestions::toString);
        Lexicon lexicon = Lexicon.of(LEDGER);
        for (String s : suggestions) {
            assertNotNull(new Planner(lexicon).plan(new QuestionReader(lexicon).read(s)), s);
        }
    }

    @Test
    void groupsThroughAJoinedDataset() {
        QuestionParser.Understood u =
                QuestionParser.understand("total revenue by team", List.of(LEDGER, REPS), List.of(), List.of(REP_KEY));
        assertEquals(0, u.dataset());
        assertEquals(
                List.of("team"),
                assertInstanceOf(Plan.Aggregate.class, u.plan()).groupBy());
        assertEquals(
                new Plan.Join("reps", "sales_rep", "sales_rep", List.of("team")),
                u.plan().scope().join());
        String code = new CodeWriter(u.lexicon(), "df").write(u.plan());
        assertTrue(
                code.contains("data = data.merge(other, left_on='sales_rep', right_on='sales_rep', how='left')"), code);
        assertTrue(code.contains("duplicated().any()"), "a repeated key is refused when the code runs: " + code);
        assertThrows(
                NotUnderstood.class,
                () -> QuestionParser.understand("total revenue by team", List.of(LEDGER, REPS), List.of(), List.of()),
                "no join key, no join");
    }

    @Test
    void everyAnswerStatesItsReading() {
        Generation g = new OfflineAnalyst()
                .generate(CodeRequest.first("Compare revenue for East vs West", List.of(LEDGER), List.of(), false));
        assertEquals(
                "Total revenue · region is East, and region is West · side by side, with their difference"
                        + " and ratio",
                g.reading());
        assertEquals("Total units · region is East", Describe.reading(plan(LEDGER, "total units for East")));
    }

    @Test
    void aFollowUpSaysWhichFiltersItKeeps() {
        Lexicon lexicon = Lexicon.of(LEDGER);
        Plan first = plan(LEDGER, "total revenue in 2023");
        String code2024 = new CodeWriter(lexicon, "df")
                .write(QuestionParser.plan(
                        "and for 2024 only?",
                        lexicon,
                        List.of(new Interaction(
                                "total revenue in 2023", new CodeWriter(lexicon, "df").write(first), ""))));
        Plan units = QuestionParser.plan(
                "what about units?", lexicon, List.of(new Interaction("and for 2024 only?", code2024, "")));
        assertEquals("units", Plan.column(units));
        assertEquals(1, units.scope().inherited().size(), units::toString);
        assertTrue(Describe.reading(units).contains("(kept from the previous question)"), Describe.reading(units));
        String text = Narrator.explain(
                units, com.fasterxml.jackson.databind.node.DoubleNode.valueOf(39), "what about" + " units?");
        assertTrue(text.contains("As in the previous question"), text);
    }

    @Test
    void aDeclineReasonNamesTheRightColumnType() {
        NotUnderstood e = refused(LEDGER, "how many orders with order_date over 30");
        assertFalse(e.getMessage().contains("holds text"), e.getMessage());
    }
}
