package io.llmanalytics.access;

import io.llmanalytics.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The further concurrent-analysis slots a batch of questions takes beside the one its request holds (taken by
 * {@link AccessGate} like an analysis', a 429 when there is none): as many as the caller's limit has free now, on this
 * instance and (with shared limits) in the store, up to what the batch wants. A batch never waits for more, and never
 * fails for want of them: its other questions queue inside it.
 */
@ApplicationScoped
public class BatchSlots {

    private final Access access;

    public BatchSlots(Access access) {
        this.access = access;
    }

    /**
     * Counts a batch's questions beyond its first (which the gate counted, as for any analysis) against the caller's
     * analyses per minute, so that a batch of ten uses ten of them: on this instance at once (throws the 429 naming the
     * limit before anything starts), then, with shared limits, in the store (the returned {@code Uni} fails with the
     * 429). Questions counted before one did not fit stay counted.
     */
    public Uni<Void> admitQuestions(RoutingContext routing, int questions) {
        int limit = access.config().limits().analysesPerMinute();
        if (limit <= 0 || questions <= 1) {
            return Uni.createFrom().voidItem();
        }
        Caller caller = Callers.of(routing);
        for (int i = 1; i < questions; i++) {
            access.limits().admitAnalysis(caller);
        }
        if (access.shared().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        SharedLimits shared = access.shared().get();
        Uni<Void> counted = Uni.createFrom().voidItem();
        for (int i = 1; i < questions; i++) {
            counted = counted.chain(
                    () -> shared.count("analysis", caller.limitKey(), limit, CallerLimits.analysesAllowed(limit)));
        }
        return counted;
    }

    /** Up to {@code wanted} further slots of the caller of {@code routing}; never fails. */
    public Uni<List<StreamSlot>> take(RoutingContext routing, int wanted) {
        return take(Callers.of(routing), wanted, new ArrayList<>());
    }

    private Uni<List<StreamSlot>> take(Caller caller, int wanted, List<StreamSlot> taken) {
        if (taken.size() >= wanted) {
            return Uni.createFrom().item(List.copyOf(taken));
        }
        return one(caller).chain(slot -> {
            if (slot == null) {
                return Uni.createFrom().item(List.copyOf(taken));
            }
            taken.add(slot);
            return take(caller, wanted, taken);
        });
    }

    /** One more slot, or null when the caller has none free (here or in the store, or the store did not answer). */
    private Uni<StreamSlot> one(Caller caller) {
        int limit = access.config().limits().concurrentStreams();
        StreamSlot slot;
        try {
            slot = new StreamSlot(access.limits().openStream(caller));
        } catch (ProblemException e) {
            return Uni.createFrom().nullItem();
        }
        if (limit <= 0 || access.shared().isEmpty()) {
            return Uni.createFrom().item(slot);
        }
        return access.shared()
                .get()
                .openStream(caller.limitKey(), limit)
                .map(release -> {
                    slot.add(release);
                    return slot;
                })
                .onFailure()
                .recoverWithUni(e -> slot.release().replaceWith((StreamSlot) null));
    }
}
