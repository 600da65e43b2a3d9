package io.llmanalytics.analysis;

import io.llmanalytics.analyst.Analyst;
import io.llmanalytics.session.SessionDocument;

/** An analysis that passed its checks (the session exists, the question is valid, an analyst can answer). */
public record PreparedAnalysis(SessionDocument session, String question, boolean privacy, Analyst analyst) {}
