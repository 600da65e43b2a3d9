package io.llmanalytics.analysis;

import io.llmanalytics.analyst.Analyst;
import io.llmanalytics.session.SessionDocument;
import io.llmanalytics.session.StoredInteraction;
import java.util.List;

/**
 * An analysis that passed its checks (the session exists, the question is valid, an analyst can answer), with what
 * was read for it: the session and its newest interactions (oldest first), the follow-up's context.
 */
public record PreparedAnalysis(
        SessionDocument session, String question, boolean privacy, Analyst analyst, List<StoredInteraction> recent) {}
