package io.llmanalytics.analysis;

import io.llmanalytics.analyst.Analyst;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.StoredInteraction;
import io.llmanalytics.verified.VerifiedLookup;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;

/**
 * An analysis that passed its checks (the session exists, the question is valid, an analyst can answer), with what
 * was read for it: the session and its newest interactions (oldest first), the follow-up's context, and the session's
 * verified answers for the question, being looked up at the same time (memoized: the run awaits them after its first
 * event, so that the lookup does not delay it), or null when its run is to look them up.
 */
public record PreparedAnalysis(
        SessionDocument session,
        String question,
        boolean privacy,
        Analyst analyst,
        List<StoredInteraction> recent,
        Uni<VerifiedLookup> lookup,
        Map<String, Long> beforeNanos) {

    public PreparedAnalysis {
        beforeNanos = beforeNanos == null ? Map.of() : Map.copyOf(beforeNanos);
    }

    /** An analysis with its verified answers being looked up, and no time measured before it. */
    public PreparedAnalysis(
            SessionDocument session,
            String question,
            boolean privacy,
            Analyst analyst,
            List<StoredInteraction> recent,
            Uni<VerifiedLookup> lookup) {
        this(session, question, privacy, analyst, recent, lookup, Map.of());
    }

    /**
     * The same analysis with the request's time before it by part, in nanoseconds ({@code outside.request},
     * {@code outside.session}): added to the opt-in breakdown of its answer.
     */
    public PreparedAnalysis before(Map<String, Long> nanos) {
        return new PreparedAnalysis(session, question, privacy, analyst, recent, lookup, nanos);
    }

    /** An analysis whose run looks its verified answers up itself. */
    public PreparedAnalysis(
            SessionDocument session,
            String question,
            boolean privacy,
            Analyst analyst,
            List<StoredInteraction> recent) {
        this(session, question, privacy, analyst, recent, null);
    }
}
