package io.llmanalytics.analyst.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.analyst.GroundingChecker;
import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.analyst.offline.Plan.Grain;
import io.llmanalytics.analyst.offline.Plan.Rank;
import io.llmanalytics.analyst.offline.Plan.Scope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Explanations built from results: the numbers people need, formatted for people, every one traceable. */
class NarratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String explain(Plan plan, String result, String question) {
        JsonNode r = json(result);
        String text = Narrator.explain(plan, r, question);
        assertTrue(GroundingChecker.check(text, r, question).ok(), () -> "grounded: " + text);
        return text;
    }

    @Test
    void aScalarIsStatedWithItsConditions() {
        Plan plan = new Plan.Aggregate(
                Scope.of(
                        List.of(
                                Filter.text("region", Filter.Op.EQ, List.of("West")),
                                Filter.text("date", Filter.Op.PERIOD, List.of("2024"))),
                        null),
                "revenue",
                Agg.SUM,
                List.of(),
                null,
                null);
        assertEquals(
                "The total revenue in 2024 where region is West is 27,202.",
                explain(plan, "27201.73", "total revenue in the West in 2024"));
    }

    @Test
    void tiedGroupsAreNeverNamedAsTheOneHighestOrLowest() {
        Plan plan = new Plan.Aggregate(Scope.ALL, "discount", Agg.MAX, List.of("sales_rep"), null, null);
        assertEquals("All 3 groups have the same value (0.2).", explain(plan, """
                {"type":"series","name":"discount","dtype":"float64","data":{"Ann":0.2,"Bob":0.2,"Cid":0.2},
                 "length":3,"truncated":false}""", "highest discount by sales rep"));
        String text = explain(plan, """
                {"type":"series","name":"discount","dtype":"float64","data":{"Ann":0.3,"Bob":0.3,"Cid":0.1,"Dee":0.1},
                 "length":4,"truncated":false}""", "highest discount by sales rep");
        // without the worker's facts the tie counts cannot be traced: the sentence says "several"
        assertTrue(text.startsWith("Several groups share the highest"), text);
        assertTrue(text.contains("several share the lowest"), text);
    }

    @Test
    void groupsNameTheLargestAndSmallestAndTheShare() {
        Plan plan = new Plan.Aggregate(Scope.ALL, "revenue", Agg.SUM, List.of("category"), null, null);
        String text = explain(plan, """
                {"type":"series","name":"revenue","dtype":"float64","data":{"Electronics":300.5,"Furniture":100.25,"Toys":99.25},
                 "length":3,"truncated":false}""", "revenue by category");
        assertEquals(
                "Electronics has the highest total revenue (300.5) and Toys the lowest (99.25) among 3 groups."
                        + " Electronics accounts for 60.1% of the total of 500.",
                text);
        Plan top = new Plan.Aggregate(Scope.ALL, "revenue", Agg.SUM, List.of("category"), new Rank(2, false), null);
        assertEquals(
                "The 2 with the highest total revenue are Electronics (300.5) and Furniture (100.25).",
                explain(top, """
                        {"type":"series","name":"revenue","dtype":"float64","data":{"Electronics":300.5,"Furniture":100.25},
                         "length":2,"truncated":false}""", "top 2 categories"));
        Plan mean = new Plan.Aggregate(Scope.ALL, "price", Agg.MEAN, List.of("region"), null, null);
        assertTrue(!explain(mean, """
                {"type":"series","data":{"North":3.5,"South":1.25},"length":2,"truncated":false}""", "q").contains("accounts for"), "no share of a sum of averages");
    }

    @Test
    void trendsSayTheDirectionAndTheExtremes() {
        Plan plan = new Plan.Trend(Scope.ALL, "revenue", Agg.SUM, "date", Grain.MONTH, null);
        String text = explain(plan, """
                {"type":"series","data":{"2024-01":100,"2024-02":250,"2024-03":150},"length":3,"truncated":false}""", "monthly revenue");
        assertEquals(
                "The total revenue per month rose from 100 in 2024-01 to 150 in 2024-03 (+50%)."
                        + " The highest was 2024-02 (250) and the lowest 2024-01 (100).",
                text);
        assertEquals(
                "2024-02 had the highest total revenue: 250.",
                explain(
                        new Plan.Trend(Scope.ALL, "revenue", Agg.SUM, "date", Grain.MONTH, new Rank(1, false)),
                        """
                {"type":"series","data":{"2024-02":250},"length":1,"truncated":false}""",
                        "best month"));
    }

    @Test
    void sharesCountsCorrelationsAndOutliers() {
        Plan share = new Plan.Share(Scope.of(List.of(), "passengers"), null, List.of(), Filter.flag("Survived", true));
        assertEquals("Survived is yes for 38.4% of the passengers.", explain(share, "38.38383838", "q"));
        assertEquals(
                "There are 342 passengers where Survived is yes.",
                explain(
                        new Plan.Count(Scope.of(List.of(Filter.flag("Survived", true)), "passengers"), List.of(), null),
                        "342",
                        "q"));
        Plan corr = new Plan.Correlation(Scope.ALL, "Age", "Fare");
        assertEquals(
                "The correlation between Age and Fare is 0.257: a weak positive relationship.",
                explain(corr, "0.2573", "q"));
        assertEquals(
                "The correlation between Age and Fare is -0.05: practically no linear relationship.",
                explain(corr, "-0.05", "q"));
        String outliers = explain(new Plan.Outliers(Scope.ALL, "Fare"), """
                {"count":116,"lower_bound":-26.72,"upper_bound":65.63,"rows_checked":891,
                 "outliers":{"type":"dataframe","columns":[],"data":[],"shape":[116,12],"total_rows":116}}""", "q");
        assertTrue(outliers.startsWith("116 values of Fare are outliers: outside -26.72 to 65.63"), outliers);
        assertTrue(outliers.contains("13% of the 891 values"), outliers);
    }

    @Test
    void numbersAreWrittenForPeople() {
        assertEquals("1,234,568", Describe.number(1234567.8));
        assertEquals("1,234.57", Describe.number(1234.567));
        assertEquals("0.123", Describe.number(0.12345));
        assertEquals("-3", Describe.number(-3.0));
        assertEquals("12.3%", Describe.percent(12.345));
    }

    @Test
    void anUnexpectedResultFallsBackToADescription() {
        Plan plan = new Plan.Aggregate(Scope.ALL, "x", Agg.SUM, List.of("g"), null, null);
        String text = Narrator.explain(plan, json("\"surprise\""), "q");
        assertTrue(!text.isBlank());
    }
}
