package io.llmanalytics.access;

import static io.llmanalytics.access.AccessProfile.ALICE;
import static io.llmanalytics.access.AccessProfile.BOB;
import static io.llmanalytics.access.AccessProfile.CAROL;
import static io.llmanalytics.access.AccessProfile.DAVE;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.session.SessionRepository;
import io.llmanalytics.testing.SseEvents;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * With API keys configured, every {@code /api} endpoint needs a valid key (401 otherwise), and a session is visible
 * only to the key that created it: for any other key every endpoint answers exactly as for a session that does not
 * exist (404). The health endpoints of Quarkus and the web page stay open.
 */
@QuarkusTest
@TestProfile(AccessProfile.class)
class AccessControlTest {

    static final String CSV = "category,amount\nA,1\nB,2\nA,3\n";
    static final String QUESTION = "{\"question\": \"How many rows are there?\"}";

    @Inject
    SessionRepository repository;

    @TestHTTPResource("/")
    URI base;

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static String upload(String key, String name, String csv) {
        return as(key).multiPart("file", name, csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/create")
                .then()
                .statusCode(201)
                .extract()
                .path("session_id");
    }

    /** Every request another key can make about a session, with what the owner gets for the same request. */
    record Call(String name, BiFunction<String, String, Response> send, int ownerStatus) {}

    static List<Call> perSessionCalls() {
        return List.of(
                new Call("get", (key, id) -> as(key).get("/api/session/" + id), 200),
                new Call("suggestions", (key, id) -> as(key).get("/api/session/" + id + "/suggestions"), 200),
                new Call("export csv", (key, id) -> as(key).get("/api/session/" + id + "/export?format=csv"), 200),
                new Call("export xlsx", (key, id) -> as(key).get("/api/session/" + id + "/export?format=xlsx"), 200),
                new Call(
                        "analyze (stream)",
                        (key, id) -> as(key).contentType("application/json")
                                .accept("text/event-stream")
                                .body(QUESTION)
                                .post("/api/session/" + id + "/analyze"),
                        200),
                new Call(
                        "analyze (json)",
                        (key, id) -> as(key).contentType("application/json")
                                .accept("application/json")
                                .body(QUESTION)
                                .post("/api/session/" + id + "/analyze"),
                        200));
    }

    @Test
    void anotherKeySeesNothingOfASessionAndTheOwnerSeesEverything() {
        String alices = upload(ALICE, "alice.csv", CSV);
        String bobs = upload(BOB, "bob.csv", CSV);
        String missing = "00000000-0000-0000-0000-000000000000";

        for (Call call : perSessionCalls()) {
            Response other = call.send().apply(BOB, alices);
            Response none = call.send().apply(BOB, missing);
            assertEquals(404, other.statusCode(), call.name() + " by another key: " + other.asString());
            assertEquals("application/problem+json", other.contentType(), call.name());
            assertEquals(none.statusCode(), other.statusCode(), call.name());
            assertEquals(none.jsonPath().getString("title"), other.jsonPath().getString("title"), call.name());
            assertFalse(other.asString().contains(ALICE), "never echoes a key");
        }
        // the list of each key holds its own sessions only
        List<String> bobList = as(BOB).get("/api/sessions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("sessions.session_id");
        assertTrue(bobList.contains(bobs), bobList.toString());
        assertFalse(bobList.contains(alices), "Bob's list shows Alice's session: " + bobList);
        as(BOB).get("/api/sessions").then().body("total", equalTo(bobList.size()));
        List<String> aliceList = as(ALICE)
                .get("/api/sessions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("sessions.session_id");
        assertTrue(aliceList.contains(alices));
        assertFalse(aliceList.contains(bobs));
        // another key cannot delete it either
        as(BOB).delete("/api/session/" + alices).then().statusCode(404).body("detail", containsString(alices));

        for (Call call : perSessionCalls()) {
            Response mine = call.send().apply(ALICE, alices);
            assertEquals(call.ownerStatus(), mine.statusCode(), call.name() + " by the owner: " + mine.asString());
        }
        Response stream = perSessionCalls().get(4).send().apply(ALICE, alices);
        assertTrue(
                SseEvents.parse(stream.asString())
                        .done()
                        .path("interpretation")
                        .asText()
                        .contains("3"),
                stream.asString());
        as(ALICE).delete("/api/session/" + alices).then().statusCode(204);
        as(ALICE).get("/api/session/" + alices).then().statusCode(404);
        as(BOB).get("/api/session/" + bobs).then().statusCode(200);
    }

    @Test
    void sessionsRecordTheKeysIdNeverTheKey() {
        String id = upload(CAROL, "carol.csv", CSV);
        String owner = repository.findById(id).await().indefinitely().owner;
        assertEquals(16, owner.length(), owner);
        assertTrue(owner.matches("[0-9a-f]{16}"), owner);
        assertFalse(owner.contains("carol"));
        String daves = upload(DAVE, "dave.csv", CSV);
        assertNotEquals(owner, repository.findById(daves).await().indefinitely().owner);
        // a key given as its SHA-256 in the keys file works like one given in clear
        as(CAROL).get("/api/session/" + id).then().statusCode(200);
        as(DAVE).get("/api/session/" + id).then().statusCode(404);
    }

    @Test
    void everyApiEndpointNeedsAValidKey() throws Exception {
        String id = upload(ALICE, "alice2.csv", CSV);
        List<RequestCall> calls = List.of(
                new RequestCall("POST", "/api/session/create"),
                new RequestCall("GET", "/api/session/" + id),
                new RequestCall("GET", "/api/sessions"),
                new RequestCall("DELETE", "/api/session/" + id),
                new RequestCall("POST", "/api/session/" + id + "/analyze"),
                new RequestCall("GET", "/api/session/" + id + "/export"),
                new RequestCall("GET", "/api/session/" + id + "/suggestions"),
                new RequestCall("GET", "/api/health"),
                new RequestCall("GET", "/api/policy"),
                new RequestCall("GET", "/api/nothing-here"));
        for (RequestCall call : calls) {
            for (RequestSpecification spec : List.of(
                    given(),
                    given().header("Authorization", "Bearer wrong-key"),
                    given().header("Authorization", "Basic " + ALICE),
                    given().header("Authorization", "Bearer "))) {
                Response r = spec.contentType("application/json").body("{}").request(call.method(), call.path());
                assertEquals(401, r.statusCode(), call + ": " + r.asString());
                assertEquals("application/problem+json", r.contentType(), call.toString());
                assertTrue(r.header("WWW-Authenticate").startsWith("Bearer"), call.toString());
                assertEquals(401, r.jsonPath().getInt("status"));
                assertTrue(r.jsonPath().getString("detail").contains("key"), r.asString());
            }
        }
        // doubled slashes do not get past the key check: the gate collapses them before it decides what is /api, and
        // the router matches the same collapsed path, so //api/sessions is /api/sessions in both
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI doubled = URI.create(base.toString().replaceAll("/+$", "") + "//api/sessions");
            HttpResponse<String> refused =
                    client.send(HttpRequest.newBuilder(doubled).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode(), doubled + ": " + refused.body());
            HttpResponse<String> served = client.send(
                    HttpRequest.newBuilder(doubled)
                            .header("Authorization", "Bearer " + ALICE)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, served.statusCode(), doubled + " with a key: " + served.body());
            assertTrue(served.body().contains(id), served.body());
        }
        given().header("Authorization", "Bearer wrong-key")
                .get("/api/sessions")
                .then()
                .header("WWW-Authenticate", containsString("invalid_token"));
        given().get("/api/sessions").then().header("WWW-Authenticate", not(containsString("invalid_token")));
        // the scheme is case-insensitive; the session was not deleted by the refused calls
        given().header("Authorization", "bearer " + ALICE)
                .get("/api/session/" + id)
                .then()
                .statusCode(200);
    }

    record RequestCall(String method, String path) {}

    @Test
    void probesAndTheWebPageNeedNoKey() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/").then().statusCode(200).contentType(containsString("text/html"));
        given().get("/js/api.js").then().statusCode(200);
    }

    @Test
    void anAnswersChartsAreServedToItsOwnerOnly() {
        String heidis = upload(AccessProfile.HEIDI, "heidi.csv", CSV);
        String body = as(AccessProfile.HEIDI)
                .contentType("application/json")
                .accept("text/event-stream")
                .body("{\"question\": \"Plot the total amount by category\"}")
                .post("/api/session/" + heidis + "/analyze")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(1, SseEvents.parse(body).named("chart").size(), body);
        String href = as(AccessProfile.HEIDI)
                .get("/api/session/" + heidis)
                .then()
                .statusCode(200)
                .extract()
                .path("history[0].charts[0].href");
        as(AccessProfile.HEIDI).get(href).then().statusCode(200).contentType("image/png");
        Response other = as(BOB).get(href);
        assertEquals(404, other.statusCode(), other.asString());
        assertEquals("application/problem+json", other.contentType());
        given().get(href).then().statusCode(401);
        as(AccessProfile.HEIDI).delete("/api/session/" + heidis).then().statusCode(204);
        as(AccessProfile.HEIDI).get(href).then().statusCode(404);
    }

    @Test
    void healthShowsTheKeyMode() {
        // 503 until the validator's contexts and the worker are warm: wait for that, then the answer is exact
        await("the service is healthy")
                .atMost(Duration.ofMinutes(3))
                .until(() -> as(ALICE).get("/api/health").statusCode() == 200);
        as(ALICE)
                .get("/api/health")
                .then()
                .statusCode(200)
                .body("components.access.status", equalTo("up"))
                .body("components.access.details.mode", equalTo("api-keys"))
                .body("components.access.details.keys", equalTo(9))
                .body("components.access.details.limits_per", equalTo("key"))
                .body("components.access.details.uploads_per_minute", equalTo(AccessProfile.UPLOADS_PER_MINUTE))
                .body(not(containsString(ALICE)));
    }
}
