package io.llmanalytics.session;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.mongodb.panache.reactive.ReactivePanacheMongoRepositoryBase;

/** Sessions in MongoDB, keyed by their UUID. */
@ApplicationScoped
public class SessionRepository implements ReactivePanacheMongoRepositoryBase<SessionDocument, String> {
}
