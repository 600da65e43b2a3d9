package io.llmanalytics.session;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.bson.codecs.pojo.annotations.BsonProperty;

/**
 * The insights of a session as stored in its document (field {@code insights}).
 *
 * @param status {@code ready} or {@code failed}
 * @param computedAt when they were computed (ISO-8601)
 * @param insights the list of insights as a JSON-like tree (maps, lists, text, numbers)
 * @param detail why they failed, or null
 */
@RegisterForReflection
public record StoredInsights(
        String status, @BsonProperty("computed_at") String computedAt, Object insights, String detail) {

    /**
     * The computation of a session's insights claimed by one instance (field {@code insights_claim}): its token, until
     * when it holds (epoch ms), and why it failed (then it is the answer until it is tried again), or null.
     */
    @RegisterForReflection
    public record Claim(String token, Long until, String detail) {}

    /** What the store holds of a session's insights: the stored ones and the claim, each null when absent. */
    @RegisterForReflection
    public record State(
            StoredInsights insights,
            @BsonProperty("insights_claim") Claim claim) {}
}
