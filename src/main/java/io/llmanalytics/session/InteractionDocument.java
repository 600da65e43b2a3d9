package io.llmanalytics.session;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.bson.codecs.pojo.annotations.BsonId;

/**
 * An interaction as a document of the {@code interactions} collection: keyed {@code <session id>/<seq>}, ordered by
 * {@code seq} within its session (appends count up from 1; histories moved from the session document sit at 0 and
 * below, oldest lowest).
 */
@RegisterForReflection
public record InteractionDocument(@BsonId String key, String sessionId, long seq, StoredInteraction interaction) {

    static String key(String sessionId, long seq) {
        return sessionId + "/" + seq;
    }
}
