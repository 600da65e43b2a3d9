package io.llmanalytics.access;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The concurrent-analysis slot an analysis request holds (this instance's pre-check and, with shared limits, its lease
 * in the store), kept on the request under {@link #KEY}. Given back once, by whichever comes first: the analysis,
 * before it emits its terminal event (so that a client that has read {@code done} or {@code error} may ask again at
 * once), or the end of the response (a client that went away, a refusal). Releases never fail; one that cannot reach
 * the store in {@link #RELEASE_WAIT} is not waited for further (its lease expires).
 */
public final class StreamSlot {

    /** The request attribute holding the slot. */
    public static final String KEY = StreamSlot.class.getName();

    /** How long the analysis waits for the slot to be given back before it emits its terminal event anyway. */
    public static final Duration RELEASE_WAIT = Duration.ofSeconds(2);

    private final List<Supplier<Uni<Void>>> releases = new ArrayList<>();
    private boolean released;

    StreamSlot(Runnable local) {
        releases.add(() -> {
            local.run();
            return Uni.createFrom().voidItem();
        });
    }

    /** Adds a part of the slot taken later (the store's lease); given back at once when the slot was already. */
    void add(Supplier<Uni<Void>> release) {
        synchronized (this) {
            if (!released) {
                releases.add(release);
                return;
            }
        }
        start(release).subscribe().with(v -> {}, e -> {});
    }

    /** Gives the slot back (the second and later calls do nothing); completes when it was given back, never fails. */
    public Uni<Void> release() {
        List<Supplier<Uni<Void>>> parts;
        synchronized (this) {
            if (released) {
                return Uni.createFrom().voidItem();
            }
            released = true;
            parts = List.copyOf(releases);
            releases.clear();
        }
        List<Uni<Void>> started = new ArrayList<>();
        for (Supplier<Uni<Void>> part : parts) {
            started.add(start(part));
        }
        return Uni.join()
                .all(started)
                .andCollectFailures()
                .replaceWithVoid()
                .ifNoItem()
                .after(RELEASE_WAIT)
                .recoverWithItem((Void) null)
                .onFailure()
                .recoverWithItem((Void) null);
    }

    /** The release of the slot on {@code request} ({@code null}: none held), as the analysis stream takes it. */
    public static Supplier<Uni<Void>> of(Object request) {
        return request instanceof StreamSlot slot
                ? slot::release
                : () -> Uni.createFrom().voidItem();
    }

    private static Uni<Void> start(Supplier<Uni<Void>> part) {
        try {
            // memoized: started once here, awaited by whoever asks
            Uni<Void> running = part.get().memoize().indefinitely();
            running.subscribe().with(v -> {}, e -> Log.debugf("A stream slot part was not given back: %s", e));
            return running;
        } catch (RuntimeException e) {
            Log.debugf("A stream slot part was not given back: %s", e);
            return Uni.createFrom().voidItem();
        }
    }
}
