package io.llmanalytics.share;

import static io.llmanalytics.share.ShareProfile.ALICE;
import static io.llmanalytics.share.ShareProfile.BOB;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.ReplaceOptions;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.ScriptedAnswers;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Share links: the owner creates, lists and revokes them; anyone with the token reads the session (every interaction,
 * its charts) without a key and can change nothing; an expired, revoked or unknown token is the same 404; another key
 * sees nothing; tokens are stored hashed and never logged.
 */
@QuarkusTest
@TestProfile(ShareProfile.class)
class ShareApiTest {

    static final String CSV = "category,amount\nA,1\nB,2\nA,3\n";
    static final String CHART_CODE = """
            s = df.groupby('category')['amount'].sum()
            s.plot(kind='bar', title='Amount by category')
            result = s""";
    static final String UNKNOWN_TOKEN = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    @InjectOpenAiStub
    OpenAiStub stub;

    @Inject
    ReactiveMongoClient mongo;

    @Inject
    StoreConfig storeConfig;

    @Inject
    ShareStore shares;

    @Inject
    ShareConfig shareConfig;

    final List<String> logged = Collections.synchronizedList(new ArrayList<>());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getMessage();
            if (record.getParameters() != null && message != null) {
                for (Object p : record.getParameters()) {
                    message += " " + p;
                }
            }
            logged.add(record.getLoggerName() + " " + message);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void start() {
        stub.reset();
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
    }

    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    static String upload(String key) {
        return as(key).multiPart("file", "data.csv", CSV.getBytes(StandardCharsets.UTF_8))
                .post("/api/session/create")
                .then()
                .statusCode(201)
                .extract()
                .path("session_id");
    }

    JsonNode ask(String key, String session, String question, String code) {
        return ScriptedAnswers.ask(stub, as(key), session, question, code, "Here it is.");
    }

    static JsonPath share(String key, String session, String body) {
        RequestSpecification request = as(key).contentType("application/json");
        if (body != null) {
            request = request.body(body);
        }
        return request.post("/api/session/" + session + "/shares")
                .then()
                .statusCode(201)
                .contentType("application/json")
                .extract()
                .jsonPath();
    }

    static Response shared(String token) {
        return given().get("/api/shared/" + token);
    }

    @Test
    void theOwnerSharesASessionThatAnyoneWithTheLinkReadsWithoutAKey() {
        String session = upload(ALICE);
        ask(ALICE, session, "Amount by category as a chart?", CHART_CODE);
        ask(ALICE, session, "How many rows?", "result = len(df)");

        Instant before = Instant.now();
        JsonPath link = share(ALICE, session, null);
        String token = link.getString("token");
        assertEquals(43, token.length(), token);
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        assertEquals("/shared/" + token, link.getString("url"));
        assertEquals("read", link.getString("scope"));
        Instant expires = Instant.parse(link.getString("expires_at"));
        assertTrue(
                !expires.isBefore(before.plus(Duration.ofDays(7)).minusSeconds(5))
                        && !expires.isAfter(Instant.now().plus(Duration.ofDays(7))),
                "7 days by default: " + expires);
        JsonPath hour = share(ALICE, session, "{\"expires_in\": \"PT1H\"}");
        Instant hourExpires = Instant.parse(hour.getString("expires_at"));
        assertTrue(hourExpires.isBefore(Instant.now().plus(Duration.ofMinutes(61))), hourExpires.toString());

        // listed without tokens
        Response list = as(ALICE).get("/api/session/" + session + "/shares");
        assertEquals(200, list.statusCode(), list.asString());
        assertEquals(
                List.of(link.getString("id"), hour.getString("id")),
                list.jsonPath().getList("shares.id"));
        assertFalse(list.asString().contains(token), list.asString());
        assertFalse(list.asString().contains(hour.getString("token")), list.asString());
        assertFalse(list.asString().contains("\"token\""), list.asString());

        // read without a key: every interaction, with its charts under the link
        Response view = shared(token);
        assertEquals(200, view.statusCode(), view.asString());
        JsonPath v = view.jsonPath();
        assertEquals(session, v.getString("session_id"));
        assertEquals("read", v.getString("scope"));
        assertEquals(List.of("Amount by category as a chart?", "How many rows?"), v.getList("interactions.question"));
        assertEquals("Here it is.", v.getString("interactions[0].answer"));
        assertEquals(4, v.getInt("interactions[0].result.data.A"));
        assertEquals(3, v.getInt("interactions[1].result"));
        assertEquals(List.of("category", "amount"), v.getList("datasets[0].column_names"));
        assertNotNull(v.get("datasets[0].profile.amount"), "profiles are shown");
        assertNull(v.get("owner"), "no owner");
        String href = v.getString("interactions[0].charts[0].href");
        String iid = v.getString("interactions[0].id");
        assertEquals("/api/shared/" + token + "/interactions/" + iid + "/charts/0", href);
        byte[] image = given().get(href)
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        byte[] owners = as(ALICE)
                .get("/api/session/" + session + "/interactions/" + iid + "/charts/0")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        assertArrayEquals(owners, image);
        given().get("/api/shared/" + token + "/interactions/" + iid + "/charts/7")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");

        // revoked: the same 404 as an unknown token
        as(ALICE)
                .delete("/api/session/" + session + "/shares/" + link.getString("id"))
                .then()
                .statusCode(204);
        assertSameNotFound(shared(token), shared(UNKNOWN_TOKEN));
        given().get(href).then().statusCode(404);
        as(ALICE)
                .delete("/api/session/" + session + "/shares/" + link.getString("id"))
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertEquals(
                List.of(hour.getString("id")),
                as(ALICE).get("/api/session/" + session + "/shares").jsonPath().getList("shares.id"));
        shared(hour.getString("token")).then().statusCode(200);
    }

    static void assertSameNotFound(Response gone, Response unknown) {
        assertEquals(404, gone.statusCode(), gone.asString());
        assertEquals("application/problem+json", gone.contentType());
        assertEquals(unknown.statusCode(), gone.statusCode());
        assertEquals(unknown.jsonPath().getString("title"), gone.jsonPath().getString("title"));
        assertEquals(unknown.jsonPath().getString("detail"), gone.jsonPath().getString("detail"));
        assertEquals(ShareService.NOT_FOUND, gone.jsonPath().getString("detail"));
        assertEquals("/api/shared/…", gone.jsonPath().getString("instance"), "the token is masked");
    }

    @Test
    void anExpiredLinkIsTheSame404AsAnUnknownOne() {
        String session = upload(ALICE);
        JsonPath link = share(ALICE, session, "{\"expires_in\": \"P1D\"}");
        String token = link.getString("token");
        shared(token).then().statusCode(200);
        assertTrue(shares.expire(link.getString("id"), Instant.now().minusSeconds(1))
                .await()
                .atMost(Duration.ofSeconds(10)));
        assertSameNotFound(shared(token), shared(UNKNOWN_TOKEN));
        assertSameNotFound(shared("not-a-token"), shared(UNKNOWN_TOKEN));
        Response list = as(ALICE).get("/api/session/" + session + "/shares");
        assertTrue(list.jsonPath().getBoolean("shares[0].expired"), list.asString());
    }

    @Test
    void linksExpiredLongerThanTheListingTimeAreSweptWhenALinkIsCreated() {
        String session = upload(ALICE);
        JsonPath old = share(ALICE, session, "{\"expires_in\": \"P1D\"}");
        JsonPath recent = share(ALICE, session, "{\"expires_in\": \"P1D\"}");
        Instant now = Instant.now();
        assertTrue(shares.expire(
                        old.getString("id"), now.minus(ShareStore.KEEP_EXPIRED).minusSeconds(60))
                .await()
                .atMost(Duration.ofSeconds(10)));
        assertTrue(shares.expire(recent.getString("id"), now.minusSeconds(60))
                .await()
                .atMost(Duration.ofSeconds(10)));

        share(ALICE, upload(ALICE), null); // any new link sweeps, whichever session it is for

        List<String> ids =
                as(ALICE).get("/api/session/" + session + "/shares").jsonPath().getList("shares.id");
        assertEquals(List.of(recent.getString("id")), ids, "the long-expired link is gone, the recent one listed");
    }

    @Test
    void badExpiriesAndOtherKeysAreRefused() {
        String session = upload(ALICE);
        for (String body : List.of(
                "{\"expires_in\": \"7 days\"}",
                "{\"expires_in\": \"P365D\"}",
                "{\"expires_in\": \"-P1D\"}",
                "{\"expires_in\": \"PT0S\"}",
                "{\"expires_in\": 7}")) {
            Response r =
                    as(ALICE).contentType("application/json").body(body).post("/api/session/" + session + "/shares");
            assertEquals(400, r.statusCode(), body + ": " + r.asString());
            assertEquals("application/problem+json", r.contentType(), body);
            assertTrue(r.jsonPath().getString("detail").contains("expires_in"), r.asString());
        }
        Response tooLong = as(ALICE)
                .contentType("application/json")
                .body("{\"expires_in\": \"P31D\"}")
                .post("/api/session/" + session + "/shares");
        assertTrue(tooLong.jsonPath().getString("detail").contains("P30D"), tooLong.asString());
        assertEquals("P30D", tooLong.jsonPath().getString("max_expires_in"));
        assertTrue(tooLong.jsonPath().getString("detail").contains("P31D"), tooLong.asString());
        String missing = "00000000-0000-0000-0000-000000000000";
        as(ALICE)
                .contentType("application/json")
                .post("/api/session/" + missing + "/shares")
                .then()
                .statusCode(404);

        JsonPath link = share(ALICE, session, "{}");
        // Bob: every share route of Alice's session is a 404, as for a session that does not exist
        for (Response r : List.of(
                as(BOB).contentType("application/json").body("{}").post("/api/session/" + session + "/shares"),
                as(BOB).get("/api/session/" + session + "/shares"),
                as(BOB).delete("/api/session/" + session + "/shares/" + link.getString("id")))) {
            assertEquals(404, r.statusCode(), r.asString());
            assertEquals("No session with id '" + session + "'.", r.jsonPath().getString("detail"));
        }
        // no key at all: 401
        given().get("/api/session/" + session + "/shares").then().statusCode(401);
        shared(link.getString("token")).then().statusCode(200);
        // Bob's link to his own session opens his, not Alice's
        String bobs = upload(BOB);
        String bobToken = share(BOB, bobs, null).getString("token");
        assertEquals(bobs, shared(bobToken).jsonPath().getString("session_id"));
    }

    @Test
    void nothingCanBeWrittenThroughALink() {
        String session = upload(ALICE);
        ask(ALICE, session, "How many rows?", "result = len(df)");
        String token = share(ALICE, session, null).getString("token");
        String iid = shared(token).jsonPath().getString("interactions[0].id");
        List<String> paths = List.of(
                "",
                "/",
                "/analyze",
                "/datasets",
                "/datasets/data/refresh",
                "/pins",
                "/pins/order",
                "/shares",
                "/dashboard",
                "/insights",
                "/suggestions",
                "/notebook",
                "/interactions/" + iid,
                "/interactions/" + iid + "/charts/0");
        int checked = 0;
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            for (String path : paths) {
                String url = "/api/shared/" + token + path;
                Response withKey = as(ALICE)
                        .contentType("application/json")
                        .body("{\"question\": \"How many rows?\", \"interaction_id\": \"" + iid + "\"}")
                        .request(method, url);
                assertTrue(
                        withKey.statusCode() == 404 || withKey.statusCode() == 405,
                        method + " " + path + " with a key: " + withKey.statusCode() + " " + withKey.asString());
                Response without = given().contentType("application/json")
                        .body("{\"question\": \"How many rows?\"}")
                        .request(method, url);
                assertTrue(
                        List.of(401, 404, 405).contains(without.statusCode()),
                        method + " " + path + " without a key: " + without.statusCode());
                checked++;
            }
        }
        assertEquals(56, checked);
        // reads other than the session view and its charts are not under /api/shared either
        for (String path : List.of("/analyze", "/dashboard", "/pins", "/shares", "/notebook", "/export")) {
            assertTrue(
                    List.of(401, 404)
                            .contains(given().get("/api/shared/" + token + path).statusCode()),
                    path);
            as(ALICE).get("/api/shared/" + token + path).then().statusCode(404);
        }
        // and nothing changed
        JsonPath after = as(ALICE).get("/api/session/" + session).jsonPath();
        assertEquals(1, after.getList("history").size());
        assertEquals(
                1,
                as(ALICE)
                        .get("/api/session/" + session + "/shares")
                        .jsonPath()
                        .getList("shares")
                        .size());
        as(ALICE).get("/api/session/" + session + "/pins").then().statusCode(200);
        assertEquals(
                0,
                as(ALICE)
                        .get("/api/session/" + session + "/pins")
                        .jsonPath()
                        .getList("pins")
                        .size());
    }

    @Test
    void tokensAreStoredHashedAndNeverLogged() {
        String session = upload(ALICE);
        String token = share(ALICE, session, null).getString("token");
        shared(token).then().statusCode(200);
        given().get("/shared/" + token).then().statusCode(200).contentType("text/html");
        given().get("/api/shared/" + token + "/interactions/x/charts/zero")
                .then()
                .statusCode(404);
        given().post("/api/shared/" + token).then().statusCode(401);

        List<Document> stored = mongo.getDatabase(storeConfig.database())
                .getCollection(ShareStore.COLLECTION)
                .find(new Document("session_id", session))
                .collect()
                .asList()
                .await()
                .atMost(Duration.ofSeconds(10));
        assertEquals(1, stored.size());
        assertEquals(ShareTokens.hash(token), stored.get(0).getString("token_hash"));
        assertFalse(stored.get(0).toJson().contains(token), stored.get(0).toJson());

        // the access log is on in this profile: it records the owner's calls, never a share token
        await().atMost(Duration.ofSeconds(10))
                .until(() -> snapshot().stream().anyMatch(l -> l.contains("/api/session/" + session + "/shares")));
        List<String> lines = snapshot();
        assertTrue(lines.stream().noneMatch(l -> l.contains(token)), "a log line holds the token");
    }

    List<String> snapshot() {
        synchronized (logged) {
            return new ArrayList<>(logged);
        }
    }

    @Test
    void aLinksLimitIsCountedInTheStoreForEveryInstance() {
        String session = upload(ALICE);
        String token = share(ALICE, session, null).getString("token");
        shared(token).then().statusCode(200);
        // other instances have used up this link's requests of this minute (and of the next, should the minute turn)
        int limit = shareConfig.requestsPerMinute();
        var windows = mongo.getDatabase(storeConfig.database()).getCollection("caller_windows");
        long minute = System.currentTimeMillis() / 60_000;
        for (long m = minute; m <= minute + 1; m++) {
            String id = "share-link|" + ShareTokens.hash(token) + "|" + m;
            windows.replaceOne(
                            new Document("_id", id),
                            new Document("_id", id).append("n", (long) limit).append("expires", (m + 1) * 60_000),
                            new ReplaceOptions().upsert(true))
                    .await()
                    .atMost(Duration.ofSeconds(10));
        }

        shared(token)
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("detail", containsString("SHARE_REQUESTS_PER_MINUTE"));
    }

    @Test
    void deletingTheSessionDeletesItsLinks() {
        String session = upload(ALICE);
        String token = share(ALICE, session, null).getString("token");
        as(ALICE).delete("/api/session/" + session).then().statusCode(204);
        assertSameNotFound(shared(token), shared(UNKNOWN_TOKEN));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> shares.list(session)
                        .await()
                        .atMost(Duration.ofSeconds(5))
                        .isEmpty());
    }
}
