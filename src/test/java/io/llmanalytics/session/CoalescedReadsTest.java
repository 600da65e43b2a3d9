package io.llmanalytics.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Shared reads: a store whose values the test sets and whose reads land when the test says, each read answering with
 * the value the store held when it was sent.
 */
class CoalescedReadsTest {

    /** A read sent to the store: the value it will answer, and how to land it. */
    record Sent(String key, String value, UniEmitter<? super String> emitter) {
        void land() {
            emitter.complete(value);
        }
    }

    final Map<String, String> store = new ConcurrentHashMap<>();
    final List<Sent> sent = new ArrayList<>();
    final CoalescedReads<String, String> reads =
            new CoalescedReads<>(key -> Uni.createFrom().emitter(e -> {
                synchronized (sent) {
                    sent.add(new Sent(key, store.get(key), e));
                }
            }));

    Sent sent(int i) {
        synchronized (sent) {
            return sent.get(i);
        }
    }

    static UniAssertSubscriber<String> request(Uni<String> uni) {
        return uni.subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    @Test
    void requestsMadeTogetherShareOneReadAndThoseMadeMeanwhileTheNext() {
        store.put("s", "v1");
        UniAssertSubscriber<String> first = request(reads.get("s"));
        store.put("s", "v2"); // acknowledged before the next requests come: they must see it
        List<UniAssertSubscriber<String>> meanwhile =
                IntStream.range(0, 50).mapToObj(i -> request(reads.get("s"))).toList();
        assertEquals(1, reads.sent(), "one read in flight; the others wait for the next");

        sent(0).land();
        first.assertCompleted().assertItem("v1");
        meanwhile.forEach(UniAssertSubscriber::assertNotTerminated);
        assertEquals(2, reads.sent(), "the next read is sent once the first is back, for all 50");

        sent(1).land();
        meanwhile.forEach(r -> r.assertCompleted().assertItem("v2"));
        assertEquals(2, reads.sent());

        store.put("s", "v3");
        UniAssertSubscriber<String> later = request(reads.get("s"));
        assertEquals(3, reads.sent(), "a request after every read landed sends its own");
        sent(2).land();
        later.assertCompleted().assertItem("v3");
    }

    @Test
    void aFailedReadFailsItsOwnRequestsOnlyAndKeysAreApart() {
        store.put("a", "A");
        store.put("b", "B");
        UniAssertSubscriber<String> a1 = request(reads.get("a"));
        UniAssertSubscriber<String> b1 = request(reads.get("b"));
        UniAssertSubscriber<String> a2 = request(reads.get("a"));
        assertEquals(2, reads.sent(), "one read per key");

        sent(0).emitter().fail(new IllegalStateException("store down"));
        a1.assertFailedWith(IllegalStateException.class, "store down");
        assertEquals(3, reads.sent(), "the request that came meanwhile gets a read of its own");
        sent(2).land();
        a2.assertCompleted().assertItem("A");
        sent(1).land();
        b1.assertCompleted().assertItem("B");
    }

    @Test
    void aMissingValueIsAnsweredAsNullAndARequestThatGaveUpIsNotAnswered() {
        UniAssertSubscriber<String> gone = request(reads.get("missing"));
        UniAssertSubscriber<String> cancelled = request(reads.get("missing"));
        cancelled.cancel();
        sent(0).land();
        gone.assertCompleted();
        assertNull(gone.getItem());
        sent(1).land();
        cancelled.assertNotTerminated();
        assertEquals(2, reads.sent());
    }
}
