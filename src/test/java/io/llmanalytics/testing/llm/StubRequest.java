package io.llmanalytics.testing.llm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A request the {@link OpenAiStub} received.
 *
 * @param index position among all requests since the last reset, from 0
 * @param method HTTP method
 * @param path request path
 * @param headers request headers, names in lower case
 * @param bodyText the raw body
 * @param body the body parsed as JSON, or an empty object when it is not JSON
 * @param receivedNanos {@link System#nanoTime()} when the request was complete
 * @param closedEarly completes when the client closed the connection before the answer was complete (a cancelled
 *        call)
 */
public record StubRequest(
        int index,
        String method,
        String path,
        Map<String, List<String>> headers,
        String bodyText,
        JsonObject body,
        long receivedNanos,
        CompletableFuture<Void> closedEarly) {

    /** Whether the request asked for a streamed answer ({@code stream: true}). */
    public boolean streaming() {
        return body.getBoolean("stream", false);
    }

    /** Whether a streamed answer should end with a usage chunk ({@code stream_options.include_usage}). */
    public boolean includeUsage() {
        JsonObject options = body.getJsonObject("stream_options");
        return options != null && options.getBoolean("include_usage", false);
    }

    public String model() {
        return body.getString("model", "");
    }

    public Double temperature() {
        return body.getDouble("temperature");
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase());
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The text of every message with this role, in order. */
    public List<String> messages(String role) {
        JsonArray messages = body.getJsonArray("messages", new JsonArray());
        return messages.stream()
                .map(JsonObject.class::cast)
                .filter(m -> role.equals(m.getString("role")))
                .map(m -> content(m.getValue("content")))
                .toList();
    }

    public String systemMessage() {
        return String.join("\n", messages("system"));
    }

    /** The last user message. */
    public String userMessage() {
        List<String> users = messages("user");
        return users.isEmpty() ? "" : users.get(users.size() - 1);
    }

    /** Every message's text, joined: what the model was shown. */
    public String prompt() {
        return systemMessage() + "\n" + String.join("\n", messages("user"));
    }

    /**
     * How the stub tells the two jobs apart: the service streams interpretations and asks for code without
     * streaming.
     */
    public boolean interpretation() {
        return streaming();
    }

    private static String content(Object content) {
        if (content instanceof JsonArray parts) {
            StringBuilder text = new StringBuilder();
            parts.stream().map(JsonObject.class::cast).forEach(p -> text.append(p.getString("text", "")));
            return text.toString();
        }
        return content == null ? "" : content.toString();
    }
}
