/**
 * Automatic insights about a session's datasets, computed at upload.
 *
 * <ol>
 * <li>{@link io.llmanalytics.insights.InsightsAtUpload} observes {@code SessionCreated} and starts
 * {@link io.llmanalytics.insights.InsightsService#start} off the request path.</li>
 * <li>The service asks the worker ({@code Sandbox.insights}, worker operation {@code insights}): the trusted module
 * {@code worker/insights.py} runs in an execution child with the same layers, limits and deadline as analysis code.
 * Each insight's numbers are computed by its own pandas snippet (its {@code code}), run as analysis code.</li>
 * <li>The result is stored in the session document, field {@code insights: {status, computed_at, insights, detail}}.
 * A session without it (older, or its computation lost in a restart) gets it computed on its first request;
 * {@link io.llmanalytics.insights.InsightsService#refresh} recomputes (for a session whose datasets changed).</li>
 * </ol>
 *
 * <p>HTTP (resource {@code api.InsightsResource}): {@code GET /api/session/{id}/insights} → {@link io.llmanalytics.insights.SessionInsights}
 * ({@code status: ready|pending|failed}); 404 for an unknown session (through {@code SessionService.find}).
 * {@code Accept: text/event-stream}: the current state, then the final one.
 */
package io.llmanalytics.insights;
