package io.llmanalytics.insights;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.llmanalytics.session.SessionCreated;

/** Starts computing a new session's insights right after upload, off the request path. */
@ApplicationScoped
public class InsightsAtUpload {

    private final InsightsService insights;
    private final InsightsConfig config;

    public InsightsAtUpload(InsightsService insights, InsightsConfig config) {
        this.insights = insights;
        this.config = config;
    }

    void created(@Observes SessionCreated event) {
        if (config.atUpload()) {
            insights.start(event.session());
        }
    }
}
