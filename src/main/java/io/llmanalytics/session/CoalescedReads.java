package io.llmanalytics.session;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Reads of the same key made at the same time, shared: one store round trip answers every request of a burst (200
 * questions on one session read it once or twice, not 200 times). A read never answers a request that came after it
 * was sent: such a request waits for the next read, sent once the one in flight is back, together with every other
 * request that came meanwhile. So each request sees every write that was acknowledged before it came, as its own
 * read would. Each request is answered on the Vert.x context it was made on, when it has one. Requests do not share
 * objects: the value is what the store sent (the caller decodes its own copy).
 */
final class CoalescedReads<K, V> {

    /** One read: the requests it answers. */
    private static final class Flight<V> {
        final List<Waiter<V>> waiters = new ArrayList<>();
        /** The requests that came while this read was in flight: the next read answers them. */
        Flight<V> next;
    }

    private record Waiter<V>(UniEmitter<? super V> emitter, Context context) {

        void complete(V value, Throwable failure) {
            if (context == null) {
                answer(value, failure);
            } else {
                context.runOnContext(ignored -> answer(value, failure));
            }
        }

        private void answer(V value, Throwable failure) {
            if (failure == null) {
                emitter.complete(value);
            } else {
                emitter.fail(failure);
            }
        }
    }

    private final Function<K, Uni<V>> read;
    private final Map<K, Flight<V>> flights = new HashMap<>();
    private final AtomicLong sent = new AtomicLong();

    /** Shares the reads {@code read} makes (a Uni that reads when subscribed; its value may be null). */
    CoalescedReads(Function<K, Uni<V>> read) {
        this.read = read;
    }

    /** The value of {@code key}, read at or after the subscription, shared with the requests made at the same time. */
    Uni<V> get(K key) {
        return Uni.createFrom().emitter(emitter -> {
            Waiter<V> waiter = new Waiter<>(emitter, Vertx.currentContext());
            Flight<V> start = null;
            synchronized (this) {
                Flight<V> flight = flights.get(key);
                if (flight == null) {
                    start = new Flight<>();
                    start.waiters.add(waiter);
                    flights.put(key, start);
                } else {
                    if (flight.next == null) {
                        flight.next = new Flight<>();
                    }
                    flight.next.waiters.add(waiter);
                }
            }
            if (start != null) {
                send(key, start);
            }
        });
    }

    /** How many reads were sent to the store. */
    long sent() {
        return sent.get();
    }

    private void send(K key, Flight<V> flight) {
        sent.incrementAndGet();
        Uni<V> value;
        try {
            value = read.apply(key);
        } catch (RuntimeException e) {
            landed(key, flight, null, e);
            return;
        }
        value.subscribe().with(v -> landed(key, flight, v, null), e -> landed(key, flight, null, e));
    }

    private void landed(K key, Flight<V> flight, V value, Throwable failure) {
        Flight<V> next;
        synchronized (this) {
            next = flight.next;
            if (next == null) {
                flights.remove(key);
            } else {
                flights.put(key, next);
            }
        }
        for (Waiter<V> waiter : flight.waiters) {
            waiter.complete(value, failure);
        }
        if (next != null) {
            send(key, next);
        }
    }
}
