package io.llmanalytics.session;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import io.llmanalytics.store.StoreConfig;
import io.llmanalytics.testing.OwnJvm;
import io.llmanalytics.testing.Uploads;
import io.quarkus.mongodb.reactive.ReactiveMongoClient;
import io.quarkus.mongodb.reactive.ReactiveMongoCollection;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Interactions in their own collection: histories in the old shape (a {@code history} array in the session document)
 * are moved by the start-up migration, once however often and however many replicas run it; appends keep the newest
 * {@code store.max-interactions}; the session view shows the newest {@code MAX_CONVERSATION_HISTORY}; deleting a
 * session deletes its interactions.
 */
@QuarkusTest
@OwnJvm
@TestProfile(InteractionStoreTest.SmallBounds.class)
class InteractionStoreTest {

    /** Keeps 4 interactions per session, shows 2. */
    public static class SmallBounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("store.max-interactions", "4", "analysis.max-history", "2");
        }
    }

    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ReactiveMongoClient client;

    @Inject
    StoreConfig config;

    @Inject
    SessionStore store;

    @Inject
    HistoryMigration migration;

    @Inject
    SessionService sessionService;

    private ReactiveMongoCollection<Document> sessions() {
        return client.getDatabase(config.database()).getCollection("sessions");
    }

    /** A history entry as {@code History} wrote it into the session document before interactions moved. */
    static Document legacyEntry(int n, boolean failed) {
        Document entry = new Document("id", "conv-" + n)
                .append("started_at", Date.from(Instant.parse("2026-01-01T00:00:00Z")))
                .append("finished_at", Date.from(Instant.parse("2026-01-01T00:00:0" + n + "Z")))
                .append("question", "question " + n)
                .append("generated_code", "result = " + n)
                .append(
                        "attempts",
                        List.of(new Document("attempt", 1)
                                .append("code", "result = " + n)
                                .append(
                                        "validation",
                                        new Document("ok", true)
                                                .append(
                                                        "violations",
                                                        List.of(new Document("rule", "import")
                                                                .append("message", "m")
                                                                .append("line", 3)
                                                                .append("column", 4))))
                                .append(
                                        "execution",
                                        new Document("success", !failed)
                                                .append("error", null)
                                                .append("execution_time", 0.25))))
                .append("result_summary", "the number " + n)
                .append("reading", null)
                .append("raw_result", new Document("type", "scalar").append("value", (long) n))
                .append("interpretation", "It is " + n + ".")
                .append("error", failed ? "it failed" : null)
                .append("execution_time", 0.25)
                .append(
                        "charts",
                        List.of(new Document("mime", "image/png")
                                .append("width", 640)
                                .append("height", 480)
                                .append("plot", new Document("data", List.of(1L, 2L)))
                                .append("href", "/api/session/x/interactions/conv-" + n + "/charts/0")))
                .append("privacy", false)
                .append(
                        "usage",
                        new Document("analyst", "offline")
                                .append("model", "rules")
                                .append("input_tokens", 0)
                                .append("output_tokens", 0)
                                .append("total_tokens", 0));
        if (failed) {
            entry.append(
                    "problem",
                    new Document("type", "t").append("title", "Failed").append("status", 422));
        } else {
            entry.append("grounding", new Document("ok", true).append("ungrounded", List.of()));
        }
        return entry;
    }

    private String oldShapeSession(int entries) {
        String id = UUID.randomUUID().toString();
        List<Document> history = new ArrayList<>();
        for (int n = 1; n <= entries; n++) {
            history.add(legacyEntry(n, n == 2));
        }
        sessions()
                .insertOne(new Document("_id", id).append("fileName", "old.csv").append("history", history))
                .await()
                .atMost(WAIT);
        return id;
    }

    private Document session(String id) {
        return sessions().find(Filters.eq("_id", id)).collect().first().await().atMost(WAIT);
    }

    private List<String> ids(String sessionId) {
        return store.allInteractions(sessionId).await().atMost(WAIT).stream()
                .map(StoredInteraction::conversationId)
                .toList();
    }

    @Test
    void theMigrationMovesAnOldHistoryWithEveryFieldAndRemovesItFromTheSession() {
        String id = oldShapeSession(3);

        assertTrue(migration.run().await().atMost(WAIT) >= 1);

        List<StoredInteraction> moved = store.allInteractions(id).await().atMost(WAIT);
        assertEquals(List.of("conv-1", "conv-2", "conv-3"), ids(id));
        StoredInteraction first = moved.get(0);
        assertEquals("question 1", first.question());
        assertEquals("result = 1", first.generatedCode());
        assertEquals(Instant.parse("2026-01-01T00:00:01Z"), first.finishedAt());
        assertEquals(Map.of("type", "scalar", "value", 1L), first.rawResult());
        assertEquals(
                new StoredInteraction.Violation("import", "m", 3, 4),
                first.attempts().get(0).validation().violations().get(0));
        assertEquals(0.25, first.attempts().get(0).execution().executionTime());
        assertEquals(
                "/api/session/x/interactions/conv-1/charts/0",
                first.charts().get(0).href());
        assertEquals(Map.of("data", List.of(1L, 2L)), first.charts().get(0).plot());
        assertEquals(new StoredInteraction.Usage("offline", "rules", 0, 0, 0), first.usage());
        assertEquals(new StoredInteraction.Grounding(true, List.of()), first.grounding());
        assertNull(first.problem());
        assertTrue(first.answered());
        StoredInteraction failed = moved.get(1);
        assertFalse(failed.answered());
        assertEquals(Map.of("type", "t", "title", "Failed", "status", 422L), failed.problem());

        Document after = session(id);
        assertFalse(after.containsKey("history"), "the history left the session document");
        assertEquals(3L, after.getLong(SessionStore.MOVED));
    }

    @Test
    void aSecondRunAndTwoReplicasAtOnceStoreEachInteractionOnce() {
        String id = oldShapeSession(3);
        migration.run().await().atMost(WAIT);
        // a replica that stopped after storing the interactions, before removing the history: the history is back
        sessions()
                .updateOne(
                        Filters.eq("_id", id),
                        new Document(
                                "$set",
                                new Document(
                                        "history",
                                        List.of(legacyEntry(1, false), legacyEntry(2, true), legacyEntry(3, false)))))
                .await()
                .atMost(WAIT);

        Uni.join().all(migration.run(), migration.run()).andFailFast().await().atMost(WAIT);

        assertEquals(List.of("conv-1", "conv-2", "conv-3"), ids(id));
        assertEquals(3L, store.countInteractions(id).await().atMost(WAIT));
        assertFalse(session(id).containsKey("history"));
        assertEquals(0, migration.run().await().atMost(WAIT), "nothing left to move");
    }

    @Test
    void appendsComeAfterMovedInteractionsAndTheOldestBeyondTheBoundAreDropped() {
        String id = oldShapeSession(3);
        migration.run().await().atMost(WAIT);
        StoredInteraction template = HistoryMigration.interaction(legacyEntry(9, false));

        store.appendInteraction(id, withId(template, "new-1")).await().atMost(WAIT);
        assertEquals(List.of("conv-1", "conv-2", "conv-3", "new-1"), ids(id));
        store.appendInteraction(id, withId(template, "new-2")).await().atMost(WAIT);
        store.appendInteraction(id, withId(template, "new-3")).await().atMost(WAIT);

        assertEquals(List.of("conv-3", "new-1", "new-2", "new-3"), ids(id), "the newest 4 are kept");
        assertEquals(
                List.of("new-2", "new-3"),
                store.recentInteractions(id, 2).await().atMost(WAIT).stream()
                        .map(StoredInteraction::conversationId)
                        .toList());
        assertEquals(
                "new-1",
                store.interaction(id, "new-1")
                        .await()
                        .atMost(WAIT)
                        .orElseThrow()
                        .conversationId());
        assertTrue(store.interaction(id, "conv-1").await().atMost(WAIT).isEmpty(), "dropped");
    }

    @Test
    void aNewSessionKeepsEveryInteractionUpToTheBoundAndThenTheNewest() {
        String id = Uploads.sessionOf("bound.csv", "a,b\n1,2\n");
        StoredInteraction template = HistoryMigration.interaction(legacyEntry(1, false));
        for (String conv : List.of("b1", "b2", "b3", "b4")) {
            store.appendInteraction(id, withId(template, conv)).await().atMost(WAIT);
        }
        assertEquals(List.of("b1", "b2", "b3", "b4"), ids(id), "up to the bound (4) nothing is dropped");

        store.appendInteraction(id, withId(template, "b5")).await().atMost(WAIT);
        assertEquals(List.of("b2", "b3", "b4", "b5"), ids(id), "beyond it the oldest goes");
        store.appendInteraction(id, withId(template, "b6")).await().atMost(WAIT);
        assertEquals(List.of("b3", "b4", "b5", "b6"), ids(id));
        assertEquals(4L, store.countInteractions(id).await().atMost(WAIT));
    }

    @Test
    void anAppendToADeletedSessionFailsAndStoresNothing() {
        String gone = UUID.randomUUID().toString();
        StoredInteraction template = HistoryMigration.interaction(legacyEntry(1, false));

        Throwable failure = failureOf(store.appendInteraction(gone, template));

        assertTrue(failure != null && failure.getMessage().contains("deleted"), String.valueOf(failure));
        assertEquals(0L, store.countInteractions(gone).await().atMost(WAIT));
    }

    @Test
    void aSessionDeletedBetweenTheCounterAndTheInsertKeepsNoInteraction() {
        String id = Uploads.sessionOf("raced.csv", "a,b\n1,2\n");
        StoredInteraction template = HistoryMigration.interaction(legacyEntry(1, false));
        long seq = store.nextSeq(id).await().atMost(WAIT);
        given().delete("/api/session/" + id).then().statusCode(204); // the delete wins the race here

        Throwable failure = failureOf(store.insertInteraction(id, seq, template));

        assertTrue(failure != null && failure.getMessage().contains("deleted"), String.valueOf(failure));
        assertEquals(0L, store.countInteractions(id).await().atMost(WAIT), "no interaction outlives its session");
    }

    @Test
    void theViewShowsTheNewestTheNotebookEveryOneAndDeletingTheSessionDeletesThem() {
        String id = Uploads.sessionOf("kept.csv", "a,b\n1,2\n3,4\n");
        StoredInteraction template = HistoryMigration.interaction(legacyEntry(1, false));
        for (String conv : List.of("a1", "a2", "a3")) {
            store.appendInteraction(id, withId(template, conv)).await().atMost(WAIT);
        }

        given().get("/api/session/" + id)
                .then()
                .statusCode(200)
                .body("history.size()", is(2))
                .body("history[0].id", is("a2"))
                .body("history[1].id", is("a3"))
                .body("history[1].generated_code", is("result = 1"))
                .body("history[1].raw_result.value", is(1));
        // the notebook and the exports reach every kept interaction, not only the ones the view shows
        given().get("/api/session/" + id + "/notebook")
                .then()
                .statusCode(200)
                .body("cells.size()", is(2 + 2 * 3))
                .body("cells[3].source", hasItem(containsString("result = 1")));
        given().get("/api/session/" + id + "/interactions/a1/code.py")
                .then()
                .statusCode(200)
                .body(is("result = 1\n"));
        given().delete("/api/session/" + id).then().statusCode(204);

        assertEquals(0L, store.countInteractions(id).await().atMost(WAIT));
    }

    private List<String> recentByKey(String id, int limit) {
        SessionDocument doc = sessionService.find(id).await().atMost(WAIT);
        return store.recentInteractions(doc, limit).await().atMost(WAIT).stream()
                .map(StoredInteraction::conversationId)
                .toList();
    }

    private List<String> recentByQuery(String id, int limit) {
        return store.recentInteractions(id, limit).await().atMost(WAIT).stream()
                .map(StoredInteraction::conversationId)
                .toList();
    }

    @Test
    void theNewestReadByKeyAreTheNewestReadByQueryWithMovedHistoriesAndGaps() {
        String id = oldShapeSession(3);
        migration.run().await().atMost(WAIT);
        assertEquals(List.of("conv-2", "conv-3"), recentByKey(id, 2), "moved only");
        assertEquals(recentByQuery(id, 3), recentByKey(id, 3));

        StoredInteraction template = HistoryMigration.interaction(legacyEntry(9, false));
        store.appendInteraction(id, withId(template, "k1")).await().atMost(WAIT);
        assertEquals(List.of("conv-3", "k1"), recentByKey(id, 2));
        for (String conv : List.of("k2", "k3", "k4")) {
            store.appendInteraction(id, withId(template, conv)).await().atMost(WAIT);
        }
        assertEquals(List.of("k3", "k4"), recentByKey(id, 2));
        assertEquals(recentByQuery(id, 2), recentByKey(id, 2));

        // a gap (an append removed again) among the newest: still the newest that exist
        client.getDatabase(config.database())
                .getCollection(SessionStore.INTERACTIONS)
                .deleteOne(Filters.eq("_id", InteractionDocument.key(id, 4)))
                .await()
                .atMost(WAIT);
        store.forgetRecent(id); // removed behind the store's back (its own removals are of deleted sessions)
        assertEquals(List.of("k2", "k3"), recentByKey(id, 2));
        assertEquals(recentByQuery(id, 2), recentByKey(id, 2));

        String fresh = Uploads.sessionOf("fresh.csv", "a,b\n1,2\n");
        assertEquals(List.of(), recentByKey(fresh, 2), "a new session has none");
    }

    /**
     * An analysis reserves its interaction's number when it begins (the counter's round trip then runs beside the
     * model and the worker): its append takes that number, once; appends made meanwhile follow it; a number never
     * taken (a cancelled analysis) is a gap the reads allow for; a session deleted meanwhile keeps nothing.
     */
    @Test
    void aNumberReservedWhenAnAnalysisBeginsNumbersItsAppendOnce() {
        String id = Uploads.sessionOf("reserved.csv", "a,b\n1,2\n");
        StoredInteraction template = HistoryMigration.interaction(legacyEntry(1, false));
        store.appendInteraction(id, withId(template, "v1")).await().atMost(WAIT);
        assertEquals(List.of("v1"), recentByKey(id, 2));

        SessionStore.Reservation begun = store.reserve(id);
        awaitCounter(id, 2);
        assertEquals(List.of("v1"), recentByKey(id, 2), "the reserved number is not stored yet");
        store.appendInteraction(id, withId(template, "v3")).await().atMost(WAIT);
        store.appendInteraction(id, withId(template, "v2"), begun, (step, nanos) -> {})
                .await()
                .atMost(WAIT);
        store.appendInteraction(id, withId(template, "v4"), begun, (step, nanos) -> {})
                .await()
                .atMost(WAIT);
        assertEquals(List.of(1L, 2L, 3L, 4L), keptNumbers(id));
        assertEquals(List.of("v1", "v2", "v3", "v4"), ids(id), "numbered as reserved, then as appended");
        assertEquals(List.of("v3", "v4"), recentByKey(id, 2));
        assertEquals(recentByQuery(id, 2), recentByKey(id, 2));

        store.reserve(id); // its analysis was cancelled: number 5 is never stored
        awaitCounter(id, 5);
        store.appendInteraction(id, withId(template, "v6")).await().atMost(WAIT);
        assertEquals(List.of("v4", "v6"), recentByKey(id, 2), "the newest that exist, across the gap");
        assertEquals(recentByQuery(id, 2), recentByKey(id, 2));

        SessionStore.Reservation late = store.reserve(id);
        awaitCounter(id, 7);
        given().delete("/api/session/" + id).then().statusCode(204);
        Throwable failure = failureOf(store.appendInteraction(id, withId(template, "v7"), late, (step, nanos) -> {}));
        assertTrue(failure != null && failure.getMessage().contains("deleted"), String.valueOf(failure));
        assertEquals(0L, store.countInteractions(id).await().atMost(WAIT), "no interaction outlives its session");
    }

    private static Throwable failureOf(Uni<?> uni) {
        return uni.onItem()
                .transform(x -> (Throwable) null)
                .onFailure()
                .recoverWithItem(e -> e)
                .await()
                .atMost(WAIT);
    }

    private void awaitCounter(String id, long count) {
        Awaitility.await()
                .atMost(WAIT)
                .until(() -> session(id).get("interactionCount", Number.class).longValue() == count);
    }

    @Test
    void concurrentAppendsGetDistinctConsecutiveNumbersAndTheNewestAreKept() {
        String id = Uploads.sessionOf("concurrent.csv", "a,b\n1,2\n");
        StoredInteraction template = HistoryMigration.interaction(legacyEntry(1, false));
        List<Uni<Void>> appends = new ArrayList<>();
        for (int n = 1; n <= 12; n++) {
            appends.add(store.appendInteraction(id, withId(template, "c" + n)));
        }
        Uni.join().all(appends).andFailFast().await().atMost(WAIT);

        assertEquals(12L, session(id).get("interactionCount", Number.class).longValue(), "one number per append");
        List<Long> kept = keptNumbers(id);
        assertEquals(kept.stream().distinct().toList(), kept, "each number stored once: " + kept);
        assertTrue(kept.containsAll(List.of(9L, 10L, 11L, 12L)), "the newest 4 are kept: " + kept);
        // an append whose insert lands after a newer one's drop stays beyond the bound until the next append
        assertTrue(kept.stream().allMatch(n -> n >= 1 && n <= 12), "numbered 1 to 12: " + kept);
        assertEquals(
                (long) kept.size(),
                store.allInteractions(id).await().atMost(WAIT).stream()
                        .map(StoredInteraction::conversationId)
                        .distinct()
                        .count(),
                "a distinct interaction under each number");
        store.appendInteraction(id, withId(template, "c13")).await().atMost(WAIT);
        assertEquals(List.of(10L, 11L, 12L, 13L), keptNumbers(id), "the bound holds again after the next append");
        assertEquals(recentByQuery(id, 2), recentByKey(id, 2));
    }

    @Test
    void anotherReplicasAppendIsSeenByTheNextReadAndTheNewestAreKeptBetweenQuestions() {
        String id = Uploads.sessionOf("replicas.csv", "a,b\n1,2\n");
        StoredInteraction template = HistoryMigration.interaction(legacyEntry(1, false));
        store.appendInteraction(id, withId(template, "r1")).await().atMost(WAIT);
        assertEquals(List.of("r1"), recentByKey(id, 2));
        store.appendInteraction(id, withId(template, "r2")).await().atMost(WAIT);
        assertEquals(List.of("r1", "r2"), recentByKey(id, 2), "this instance's append, written through");
        // another replica appends: numbers it through the session's counter and inserts it, this instance is not told
        long seq = sessions()
                .findOneAndUpdate(
                        Filters.eq("_id", id),
                        new Document("$inc", new Document("interactionCount", 1L)),
                        new FindOneAndUpdateOptions().returnDocument(ReturnDocument.AFTER))
                .await()
                .atMost(WAIT)
                .get("interactionCount", Number.class)
                .longValue();
        client.getDatabase(config.database())
                .getCollection(SessionStore.INTERACTIONS, InteractionDocument.class)
                .insertOne(new InteractionDocument(
                        InteractionDocument.key(id, seq), id, seq, withId(template, "elsewhere")))
                .await()
                .atMost(WAIT);
        assertEquals(List.of("r2", "elsewhere"), recentByKey(id, 2), "the other replica's append is read");
        store.appendInteraction(id, withId(template, "r4")).await().atMost(WAIT);
        assertEquals(List.of("elsewhere", "r4"), recentByKey(id, 2));
        assertEquals(recentByQuery(id, 2), recentByKey(id, 2));
        given().delete("/api/session/" + id).then().statusCode(204);
        assertEquals(0L, store.countInteractions(id).await().atMost(WAIT));
    }

    private List<Long> keptNumbers(String id) {
        return client
                .getDatabase(config.database())
                .getCollection(SessionStore.INTERACTIONS)
                .find(Filters.eq("sessionId", id))
                .map(d -> d.get("seq", Number.class).longValue())
                .collect()
                .asList()
                .await()
                .atMost(WAIT)
                .stream()
                .sorted()
                .toList();
    }

    static StoredInteraction withId(StoredInteraction t, String id) {
        return new StoredInteraction(
                id,
                t.startedAt(),
                t.finishedAt(),
                t.question(),
                t.generatedCode(),
                t.attempts(),
                t.resultSummary(),
                t.reading(),
                t.rawResult(),
                t.interpretation(),
                t.error(),
                t.executionTime(),
                t.charts(),
                t.privacy(),
                t.usage(),
                t.grounding(),
                t.problem());
    }
}
