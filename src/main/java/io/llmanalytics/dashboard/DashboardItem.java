package io.llmanalytics.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * One card of a dashboard: a pinned answer's code run on the session's current datasets. A pin whose code no longer
 * passes the validator or fails on the data has its {@code error} here (the dashboard itself still answers 200).
 *
 * @param result the code's {@code result} (as an analysis' {@code raw_result}); null when it failed
 * @param charts the figures it drew, images as base64
 * @param computedAt when this result was computed (cards are kept until a dataset changes)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DashboardItem(
        String pinId,
        String interactionId,
        String question,
        int position,
        JsonNode result,
        Boolean resultTruncated,
        List<Card> charts,
        Instant computedAt,
        Failure error) {

    /** A chart of a card: its image (base64) and the data behind it. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Card(String mime, int width, int height, String data, JsonNode plot, JsonNode spec) {}

    /**
     * Why a card has no result: {@code kind} is {@code validation} (the code is refused by the current policy),
     * {@code execution} (it failed on the current data) or {@code unavailable} (the worker could not run it now).
     */
    @RegisterForReflection
    public record Failure(String kind, String message) {}

    /** The same card at another place (cards are cached without it). */
    DashboardItem at(Pin pin) {
        return new DashboardItem(
                pin.id(),
                pin.interactionId(),
                pin.question(),
                pin.position(),
                result,
                resultTruncated,
                charts,
                computedAt,
                error);
    }
}
