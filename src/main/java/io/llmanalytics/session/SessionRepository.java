package io.llmanalytics.session;

import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Sessions in MongoDB, keyed by their UUID. */
@ApplicationScoped
public class SessionRepository implements ReactivePanacheMongoRepositoryBase<SessionDocument, String> {}
