package io.llmanalytics.analyst.offline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.analyst.offline.Plan.Agg;
import io.llmanalytics.analyst.offline.Plan.Chart;
import io.llmanalytics.analyst.offline.Plan.Scope;
import io.llmanalytics.python.PythonLiterals;
import io.llmanalytics.schema.DatasetSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code written for plans: plain pandas on {@code df}, a {@code result}, charts with {@code plt}, the plan comment. */
class CodeWriterTest {

    private static final DatasetSchema SALES = TestTables.salesSchema();
    private static final Lexicon LEXICON = Lexicon.of(SALES);

    private static String code(String question) {
        QuestionParser.Understood u = QuestionParser.understand(question, List.of(SALES), List.of());
        return new CodeWriter(u.lexicon(), "df").write(u.plan());
    }

    private static List<String> lines(String code) {
        return code.lines().skip(1).toList(); // without the plan comment
    }

    @Test
    void groupedAggregatesAreSortedLargestFirst() {
        assertEquals(
                List.of(
                        "data = df",
                        "result = data.groupby('category')['revenue'].sum()",
                        "result = result.sort_values(ascending=False)"),
                lines(code("total revenue by category")));
    }

    @Test
    void conditionsAreCombinedWithAnd() {
        assertEquals(
                List.of(
                        "data = df",
                        "data = data[(data['quantity'] > 2) & (data['category'] == 'Electronics') & (data['date'].dt.strftime('%Y') == '2024')]",
                        "result = data['price'].mean()"),
                lines(code("average price in Electronics with quantity over 2 in 2024")));
        // two values of one column are two sides, never one pooled figure (issue 14)
        assertTrue(code("how many orders in north or south").contains("figures['North'] = int(len(side))"));
        assertTrue(code("how many orders excluding Furniture").contains("data['category'] != 'Furniture'"));
        assertTrue(code("how many orders before 2024").contains("data['date'] < pd.Timestamp('2024-01-01')"));
        assertTrue(code("how many orders in march").contains("data['date'].dt.month == 3"));
        assertTrue(code("how many orders with a product containing 'desk'")
                .contains("data['product'].str.contains('desk', case=False, regex=False, na=False)"));
    }

    @Test
    void rankingsKeepTheTopGroupsOrRows() {
        assertTrue(code("top 3 products by revenue").endsWith("""
                result = result.sort_values(ascending=False)
                if len(result) > 3:
                    result = result[result >= result.iloc[2]]
                """), "ties at the cut are kept");
        assertTrue(code("which region has the lowest average price")
                .contains("result = result[result <= result.iloc[0]]"));
        assertTrue(code("5 most expensive orders").contains("result = data.nlargest(5, 'price', keep='all')"));
        assertTrue(code("3 cheapest orders").contains("result = data.nsmallest(3, 'price', keep='all')"));
        assertTrue(code("the 2 latest orders").contains("result = result[result['date'] >= result['date'].iloc[1]]"));
    }

    @Test
    void trendsGroupByPeriods() {
        assertEquals(
                List.of(
                        "data = df",
                        "periods = data['date'].dt.to_period('Q')",
                        "result = data.groupby(periods)['revenue'].sum()"),
                lines(code("revenue by quarter")));
        assertTrue(code("number of orders per week").contains("result = data.groupby(periods).size().rename('count')"));
    }

    @Test
    void sharesArePercentages() {
        assertTrue(code("share of revenue by region").contains("result = totals / totals.sum() * 100"));
        assertTrue(code("what percentage of orders are in the north").contains("result = float(hit.mean() * 100)"));
    }

    @Test
    void chartsUseMatplotlib() {
        String bar = code("plot total revenue by region");
        assertTrue(bar.contains("fig, ax = plt.subplots(figsize=(9, 5))"), bar);
        assertTrue(bar.contains("ax.bar(labels, shown.values, color='#4C72B0')"), bar);
        assertTrue(bar.contains("ax.set_title('Total revenue by region')"), bar);
        assertTrue(code("monthly revenue as a line chart").contains("ax.plot(labels, shown.values, marker='o')"));
        assertTrue(code("revenue by category as a pie chart").contains("ax.pie("));
        assertTrue(code("histogram of price").contains("ax.hist(data['price'].dropna(), bins=30"));
        assertTrue(code("scatter plot of the correlation between price and quantity")
                .contains("ax.scatter(data['price'], data['quantity']"));
        assertTrue(
                code("plot the distribution of region").contains("ax.bar("),
                "a text column's distribution is a bar chart");
        org.junit.jupiter.api.Assertions.assertThrows(
                NotUnderstood.class, () -> code("plot the average price"), "a single number has no chart");
        assertTrue(code("plot the 3 most expensive orders").contains("shown = result['price'].head(30)"));
    }

    @Test
    void lookupsFindTheColumnWhenTheCodeRuns() {
        String code = code("total revenue for Stapler");
        assertTrue(code.contains("needles = ['stapler']"), code);
        assertTrue(code.contains("raise ValueError('" + CodeWriter.LOOKUP_FAILED + "'"), code);
    }

    @Test
    void namesAndValuesAreSafePythonLiterals() {
        assertEquals("'it\\'s'", PythonLiterals.string("it's"));
        assertEquals("'a\\\\b\\nc'", PythonLiterals.string("a\\b\nc"));
        assertEquals("'\\u0007'", PythonLiterals.string("\u0007"));
        assertEquals("'Électronique €'", PythonLiterals.string("Électronique €"));
        assertEquals("3", PythonLiterals.number(3.0));
        assertEquals("2.5", PythonLiterals.number(2.5));
        DatasetSchema odd = TestTables.csv("odd", "it's col,value\na,1\nb,2\n");
        Lexicon lexicon = Lexicon.of(odd);
        Plan plan = new Plan.Aggregate(
                Scope.of(List.of(Filter.text("it's col", Filter.Op.EQ, List.of("x'); import os #"))), null),
                "value",
                Agg.SUM,
                List.of("it's col"),
                null,
                null);
        String code = new CodeWriter(lexicon, "dfs['odd']").write(plan);
        assertTrue(code.contains("data = dfs['odd']"));
        assertTrue(code.contains("data[data['it\\'s col'] == 'x\\'); import os #']"), code);
    }

    @Test
    void thePlanTravelsInTheCode() {
        Plan plan = new Plan.Share(
                Scope.of(List.of(Filter.text("category", Filter.Op.EQ, List.of("Électronique \"quoted\"\n"))), "orders")
                        .withChart(Chart.PIE),
                "revenue",
                List.of("region"),
                Filter.number("quantity", Filter.Op.GT, List.of(2.0)));
        String code = new CodeWriter(LEXICON, "df").write(plan);
        assertTrue(code.startsWith(PlanComment.PREFIX));
        assertTrue(code.lines().findFirst().orElseThrow().chars().allMatch(c -> c < 128), "ASCII only");
        assertEquals(plan, PlanComment.read(code).orElseThrow());
        assertTrue(PlanComment.read("# offline-plan: {not json}\nresult = 1").isEmpty());
        assertTrue(PlanComment.read(null).isEmpty());
    }

    @Test
    void everyTaskAssignsAResult() {
        for (String question : List.of(
                "what columns are there",
                "shape of the data",
                "missing values",
                "missing values in price",
                "summary of the data",
                "describe price",
                "correlation between price and quantity",
                "strongest correlations",
                "what correlates with price",
                "outliers in revenue",
                "distribution of price",
                "distribution of region",
                "what are the different regions",
                "first 5 rows",
                "last 3 rows",
                "price of Laptop",
                "how many orders",
                "percentage of revenue from the north")) {
            String code = code(question);
            assertTrue(code.contains("\nresult = ") || code.contains("\nresult="), question + ":\n" + code);
        }
    }
}
