package io.llmanalytics.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.llmanalytics.problem.ProblemException;
import io.quarkus.mongodb.impl.ReactiveMongoClientImpl;
import io.quarkus.mongodb.reactive.ReactiveMongoDatabase;
import io.smallrye.mutiny.Uni;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The limits in the store, as two instances see them: two {@link SharedLimits} (two "pods", each with its own driver
 * connection) on one embedded MongoDB-wire server, on a wall clock the test moves.
 */
class SharedLimitsTest {

    static final Duration LEASE = Duration.ofSeconds(30);

    final AtomicLong now = new AtomicLong(1_700_000_000_000L - 1_700_000_000_000L % 60_000 + 5_000);
    MongoServer server;
    final List<MongoClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        clients.forEach(MongoClient::close);
        server.shutdown();
    }

    SharedLimits pod() {
        InetSocketAddress address = server.getLocalAddress();
        MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        clients.add(client);
        ReactiveMongoDatabase db = new ReactiveMongoClientImpl(client).getDatabase("limits");
        return new SharedLimits(
                db.getCollection(SharedLimits.WINDOWS),
                db.getCollection(SharedLimits.STREAMS),
                Duration.ofSeconds(10),
                LEASE,
                now::get);
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(20));
    }

    static ProblemException refused(Uni<?> uni) {
        try {
            await(uni);
        } catch (ProblemException e) {
            return e;
        } catch (CompletionException e) {
            if (e.getCause() instanceof ProblemException p) {
                return p;
            }
            throw e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void theCountOfAMinuteHoldsAcrossInstancesAndRetryAfterIsTheRestOfIt() {
        SharedLimits a = pod();
        SharedLimits b = pod();
        for (int i = 0; i < 4; i++) {
            await((i % 2 == 0 ? a : b).count("upload", "key:ann", 4, "start at most 4 uploads per minute"));
        }
        now.addAndGet(15_000); // 20 s into the minute
        ProblemException onA = refused(a.count("upload", "key:ann", 4, "start at most 4 uploads per minute"));
        ProblemException onB = refused(b.count("upload", "key:ann", 4, "start at most 4 uploads per minute"));
        assertEquals(429, onB.problem().status());
        assertEquals(Duration.ofSeconds(40), onA.retryAfter().orElseThrow());
        assertTrue(onB.getMessage().contains("4 uploads per minute"), onB.getMessage());
        await(a.count("upload", "key:ben", 4, "...")); // others apart
        await(b.count("analysis", "key:ann", 4, "...")); // kinds apart
        now.addAndGet(40_000); // the next minute
        await(b.count("upload", "key:ann", 4, "..."));
    }

    @Test
    void slotsHoldAcrossInstancesAndAreGivenBack() {
        SharedLimits a = pod();
        SharedLimits b = pod();
        Supplier<Uni<Void>> first = await(a.openStream("key:ann", 2));
        Supplier<Uni<Void>> second = await(b.openStream("key:ann", 2));
        ProblemException full = refused(a.openStream("key:ann", 2));
        assertEquals(CallerLimits.STREAM_RETRY, full.retryAfter().orElseThrow());
        assertTrue(full.getMessage().contains("across all instances"), full.getMessage());
        assertEquals(2, await(b.streams("key:ann")));
        await(first.get()); // completes once the store has it back
        await(first.get()); // once only
        assertEquals(1, await(a.streams("key:ann")));
        Supplier<Uni<Void>> third = await(b.openStream("key:ann", 2));
        refused(b.openStream("key:ann", 2));
        await(second.get());
        await(third.get());
        assertEquals(0, await(a.streams("key:ann")));
    }

    @Test
    void aDeadInstancesSlotsComeBackWithinTheLeaseWhileTheLivingOnesHeartbeatKeepsItsOwn() {
        SharedLimits dead = pod();
        SharedLimits living = pod();
        await(dead.openStream("key:ann", 2)); // never released, never refreshed: the instance was killed
        await(living.openStream("key:ann", 2));
        refused(living.openStream("key:ann", 2));
        now.addAndGet(LEASE.toMillis() * 2 / 3);
        await(living.heartbeat());
        refused(living.openStream("key:ann", 2));
        now.addAndGet(LEASE.toMillis() / 3 + 1); // the dead one's lease ended; the living one's was refreshed
        assertEquals(1, await(living.streams("key:ann")));
        Supplier<Uni<Void>> again = await(living.openStream("key:ann", 2));
        refused(living.openStream("key:ann", 2));
        await(again.get());
    }

    @Test
    void concurrentTakersOnTwoInstancesNeverExceedTheLimit() {
        SharedLimits a = pod();
        SharedLimits b = pod();
        List<Uni<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            attempts.add((i % 2 == 0 ? a : b)
                    .openStream("key:ann", 3)
                    .map(r -> true)
                    .onFailure(ProblemException.class)
                    .recoverWithItem(false));
        }
        List<Boolean> taken = await(Uni.join().all(attempts).andFailFast());
        assertEquals(3, taken.stream().filter(t -> t).count(), taken.toString());
        assertEquals(3, await(a.streams("key:ann")));
    }

    /**
     * Every count sees its own number: the embedded store encodes a plain findAndModify answer (the stored document
     * itself) after releasing its lock, so concurrent counts could read the same, later value and refuse too many.
     */
    @Test
    void concurrentCountsOnTwoInstancesAcceptExactlyTheLimit() {
        SharedLimits a = pod();
        SharedLimits b = pod();
        int limit = 100;
        for (int round = 0; round < 20; round++) {
            List<Uni<Boolean>> counts = new ArrayList<>();
            for (int i = 0; i < 2 * limit; i++) {
                counts.add((i % 2 == 0 ? a : b)
                        .count("analysis", "key:round" + round, limit, "...")
                        .map(counted -> true)
                        .onFailure(ProblemException.class)
                        .recoverWithItem(false));
            }
            List<Boolean> accepted = await(Uni.join().all(counts).andFailFast());
            assertEquals(limit, accepted.stream().filter(t -> t).count(), "round " + round);
        }
    }

    @Test
    void manyStartsOfOneCallerAtOnceAllGetASlotUnderAHighLimit() {
        SharedLimits a = pod();
        SharedLimits b = pod();
        int starts = 3 * SharedLimits.CAS_TRIES;
        List<Uni<Supplier<Uni<Void>>>> attempts = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            attempts.add((i % 2 == 0 ? a : b).openStream("key:ann", 1_000));
        }
        List<Supplier<Uni<Void>>> taken = await(Uni.join().all(attempts).andFailFast());
        assertEquals(starts, taken.size());
        assertEquals(starts, await(a.streams("key:ann")));
    }

    @Test
    void sweepingDeletesPastMinutesAndEndedLeasesOnly() {
        SharedLimits a = pod();
        await(a.count("upload", "key:ann", 5, "..."));
        await(a.openStream("key:ann", 5));
        Supplier<Uni<Void>> kept = await(a.openStream("key:ben", 5));
        for (int step = 0; step < 3; step++) { // heartbeats keep both slots (this instance's) alive past the minute
            now.addAndGet(20_500);
            await(a.heartbeat());
        }
        await(a.sweep());
        assertEquals(2, documents(SharedLimits.STREAMS));
        assertEquals(0, documents(SharedLimits.WINDOWS), "the past minute's count is gone");
        now.addAndGet(LEASE.toMillis() + 1); // no heartbeat: both leases end
        await(a.sweep());
        assertEquals(0, documents(SharedLimits.STREAMS));
        await(kept.get());
        assertThrows(ProblemException.class, () -> {
            await(a.openStream("key:ann", 1));
            await(a.openStream("key:ann", 1));
        });
    }

    long documents(String collection) {
        MongoClient client = MongoClients.create(
                "mongodb://127.0.0.1:" + server.getLocalAddress().getPort());
        clients.add(client);
        return await(new ReactiveMongoClientImpl(client)
                .getDatabase("limits")
                .getCollection(collection, Document.class)
                .countDocuments());
    }
}
