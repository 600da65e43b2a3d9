package io.llmanalytics.insights;

import io.llmanalytics.session.SessionCreated;
import io.llmanalytics.session.SessionDatasetsAdded;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts computing a session's insights right after upload, and again when datasets are added, off the request
 * path.
 */
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

    void added(@Observes SessionDatasetsAdded event) {
        if (config.atUpload()) {
            insights.refresh(event.session())
                    .subscribe()
                    .with(
                            done -> {},
                            e -> Log.debugf(
                                    "Insights of session %s not refreshed: %s", event.session().id, e.getMessage()));
        }
    }
}
