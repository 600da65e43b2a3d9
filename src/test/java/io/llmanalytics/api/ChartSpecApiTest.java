package io.llmanalytics.api;

import static io.llmanalytics.share.ShareProfile.ALICE;
import static io.llmanalytics.share.ShareProfile.BOB;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.share.ShareProfile;
import io.llmanalytics.testing.SseEvents;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interactive charts through the API: a model answering with Plotly code gives a {@code chart} event and
 * {@code done.charts[]} carrying the figure's spec (its real data, computed by the worker), which is stored with the
 * interaction and served at the chart's {@code href + "/spec"} after a reload, and through a share link; a matplotlib
 * chart gets a spec built from its data.
 */
@QuarkusTest
@TestProfile(ShareProfile.class)
class ChartSpecApiTest {

    static final String CSV = "region,revenue\nNorth,1200000\nSouth,950000\nEast,400000\nNorth,300000\n";
    static final String PLOTLY_CODE = """
            import plotly.express as px
            totals = df.groupby('region', as_index=False)['revenue'].sum()
            fig = px.bar(totals, x='region', y='revenue', title='Revenue by region')
            fig.show()
            result = totals""";
    static final String MATPLOTLIB_CODE = """
            s = df.groupby('region')['revenue'].sum()
            s.plot(kind='bar', title='Revenue by region')
            result = s""";

    final ObjectMapper json = new ObjectMapper();

    @InjectOpenAiStub
    OpenAiStub stub;

    @BeforeEach
    void start() {
        stub.reset();
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static String upload() {
        return as(ALICE)
                .multiPart("file", "sales.csv", CSV.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/create")
                .then()
                .statusCode(201)
                .extract()
                .path("session_id");
    }

    SseEvents ask(String session, String code) {
        stub.respond(r -> r.streaming() ? StubResponse.content("Here it is.") : StubResponse.code(code));
        SseEvents events = SseEvents.parse(as(ALICE)
                .contentType("application/json")
                .accept("text/event-stream")
                .body(Map.of("question", "Revenue by region as a chart"))
                .post("/api/session/" + session + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertTrue(events.done().get("error").isNull(), events.done().toString());
        return events;
    }

    @Test
    void aPlotlyAnswerStreamsStoresAndServesItsSpec() throws Exception {
        String session = upload();
        SseEvents events = ask(session, PLOTLY_CODE);

        List<SseEvents.Event> charts = events.named("chart");
        assertEquals(1, charts.size(), events.names().toString());
        JsonNode chart = charts.get(0).data();
        assertEquals("image/png", chart.get("mime").asText());
        assertTrue(chart.get("data").asText().startsWith("iVBOR"), "a PNG drawn from the spec");
        JsonNode trace = chart.path("spec").path("data").path(0);
        assertEquals("bar", trace.path("type").asText(), chart.path("spec").toString());
        assertEquals(List.of("East", "North", "South"), texts(trace.path("x")));
        assertEquals(List.of(400000.0, 1500000.0, 950000.0), numbers(trace.path("y")));
        assertEquals(
                "Revenue by region",
                chart.path("spec").path("layout").path("title").path("text").asText());
        assertEquals(chart.get("spec"), events.done().path("charts").path(0).path("spec"));

        // after a reload: the session view names the chart; its spec is served beside its image
        String href = as(ALICE)
                .get("/api/session/" + session)
                .then()
                .statusCode(200)
                .extract()
                .path("history[0].charts[0].href");
        assertNotNull(href);
        String stored = as(ALICE)
                .get(href + "/spec")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .header("X-Content-Type-Options", "nosniff")
                .extract()
                .asString();
        assertEquals(chart.get("spec"), json.readTree(stored));

        // another key sees nothing; a chart that does not exist is a problem naming it
        as(BOB).get(href + "/spec").then().statusCode(404);
        as(ALICE)
                .get(href.replaceAll("/0$", "/3") + "/spec")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");

        // a share link serves the same spec without a key
        String token = as(ALICE)
                .contentType("application/json")
                .post("/api/session/" + session + "/shares")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        String sharedHref = given().get("/api/shared/" + token)
                .then()
                .statusCode(200)
                .extract()
                .path("interactions[0].charts[0].href");
        String shared = given().get(sharedHref + "/spec")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .extract()
                .asString();
        assertEquals(chart.get("spec"), json.readTree(shared));
    }

    @Test
    void aMatplotlibChartGetsASpecBuiltFromItsData() {
        String session = upload();
        SseEvents events = ask(session, MATPLOTLIB_CODE);
        JsonNode spec = events.named("chart").get(0).data().path("spec");
        JsonNode trace = spec.path("data").path(0);
        assertEquals("bar", trace.path("type").asText(), spec.toString());
        assertEquals(List.of("East", "North", "South"), texts(trace.path("x")));
        assertEquals(List.of(400000.0, 1500000.0, 950000.0), numbers(trace.path("y")));
        assertEquals(
                "Revenue by region",
                spec.path("layout").path("title").path("text").asText());
        assertEquals(
                "none", spec.path("layout").path("yaxis").path("exponentformat").asText());
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    static List<Double> numbers(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asDouble)
                .toList();
    }
}
