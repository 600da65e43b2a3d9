package io.llmanalytics.sandbox;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.llmanalytics.session.DatasetDocument;
import io.llmanalytics.session.SessionCreated;
import io.llmanalytics.session.SessionDatasetsAdded;
import io.llmanalytics.session.SessionDeleted;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the worker's cache in step with sessions: a new session's datasets are loaded in the background right after
 * upload (so the first question does not wait for them), a deleted session's are dropped.
 */
@ApplicationScoped
public class SessionDatasetsPrefetch {

    private final Sandbox sandbox;

    public SessionDatasetsPrefetch(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    void created(@Observes SessionCreated event) {
        String id = event.session().id;
        sandbox.prefetch(
                        id,
                        event.session().datasets.stream()
                                .map(DatasetDocument::source)
                                .toList())
                .subscribe()
                .with(ok -> Log.debugf("Datasets of session %s loaded in the worker", id), e -> {
                    // the reason can quote the data (pandas' parse errors do): only its kind at INFO
                    ProblemException problem = ProblemFailures.find(e);
                    Log.infof(
                            "Datasets of session %s not prefetched (%s); they load on the first question",
                            id,
                            problem != null
                                    ? problem.type().title()
                                    : e.getClass().getSimpleName());
                    Log.debugf("Datasets of session %s not prefetched: %s", id, e.getMessage());
                });
    }

    void added(@Observes SessionDatasetsAdded event) {
        // the set of datasets changed: its key changed, so the worker loads the new set (the old one is replaced)
        String id = event.session().id;
        sandbox.prefetch(
                        id,
                        event.session().datasets.stream()
                                .map(DatasetDocument::source)
                                .toList())
                .subscribe()
                .with(
                        ok -> Log.debugf("Datasets of session %s reloaded in the worker", id),
                        e -> Log.infof(
                                "Datasets of session %s not prefetched after an addition (%s)",
                                id, e.getClass().getSimpleName()));
    }

    void deleted(@Observes SessionDeleted event) {
        sandbox.evict(event.sessionId());
    }
}
