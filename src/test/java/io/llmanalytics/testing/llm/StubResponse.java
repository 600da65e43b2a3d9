package io.llmanalytics.testing.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scripted answer of the {@link OpenAiStub}. Immutable; every {@code with...} method returns a copy.
 *
 * <ul>
 * <li>{@link #content(String)}: a successful completion. A streaming request gets it token by token (words and the
 * spaces before them, or the {@link #tokens(String...)} given), a non-streaming one as one JSON document.</li>
 * <li>{@link #status(int)}: an HTTP error with {@link #header(String, String)}s and a {@link #body(String)}.</li>
 * <li>{@link #malformed()}: HTTP 200 with a body (or an SSE chunk) that is not valid JSON.</li>
 * <li>{@link #raw(String)}: HTTP 200 with exactly this body ({@code text/event-stream} when the request streams).</li>
 * <li>{@link #stallAfter(String, int)}: a stream that sends that many tokens and then nothing, forever;
 * {@link #cutAfter(String, int)}: one that ends there without finishing.</li>
 * <li>{@link #dropConnection()}: the connection is closed without an answer.</li>
 * <li>{@link #delay(Duration)} before the status line, {@link #tokenDelay(Duration)} between tokens.</li>
 * </ul>
 */
public record StubResponse(
        int status,
        Map<String, String> headers,
        String body,
        String content,
        List<String> tokens,
        Duration delay,
        Duration tokenDelay,
        int stallAfter,
        boolean malformedJson,
        boolean closeWithoutAnswer,
        Integer promptTokens,
        Integer completionTokens,
        String model,
        boolean jsonEvenIfStreamed) {

    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+|\\s+");

    public StubResponse {
        headers = Map.copyOf(headers);
        tokens = tokens == null ? null : List.copyOf(tokens);
    }

    /** A successful answer with this text. */
    public static StubResponse content(String content) {
        return new StubResponse(
                200,
                Map.of(),
                null,
                content,
                null,
                Duration.ZERO,
                Duration.ZERO,
                -1,
                false,
                false,
                null,
                null,
                null,
                false);
    }

    /** The text in a markdown {@code python} fence, as chat models usually answer. */
    public static StubResponse code(String code) {
        return content("```python\n" + code + "\n```");
    }

    /** An HTTP error with an OpenAI-style error body. */
    public static StubResponse status(int status) {
        String body =
                "{\"error\":{\"message\":\"stub error " + status + "\",\"type\":\"stub\",\"code\":" + status + "}}";
        return new StubResponse(
                status,
                Map.of(),
                body,
                null,
                null,
                Duration.ZERO,
                Duration.ZERO,
                -1,
                false,
                false,
                null,
                null,
                null,
                false);
    }

    /** HTTP 200 with exactly this body, e.g. an error payload or hand-written Server-Sent Events. */
    public static StubResponse raw(String body) {
        return new StubResponse(
                200,
                Map.of(),
                body,
                null,
                null,
                Duration.ZERO,
                Duration.ZERO,
                -1,
                false,
                false,
                null,
                null,
                null,
                false);
    }

    /** HTTP 200 whose body is not valid JSON. */
    public static StubResponse malformed() {
        return content("unused").withMalformed();
    }

    /** A stream that sends {@code tokens} tokens of {@code content} and then stalls forever. */
    public static StubResponse stallAfter(String content, int tokens) {
        return content(content).withStallAfter(tokens);
    }

    /** A stream that sends {@code tokens} tokens and then ends the response without finish reason or {@code [DONE]}. */
    public static StubResponse cutAfter(String content, int tokens) {
        return new StubResponse(
                200,
                Map.of(),
                null,
                content,
                null,
                Duration.ZERO,
                Duration.ZERO,
                tokens,
                false,
                true,
                null,
                null,
                null,
                false);
    }

    /** The connection is closed without any answer. */
    public static StubResponse dropConnection() {
        return new StubResponse(
                200,
                Map.of(),
                null,
                null,
                null,
                Duration.ZERO,
                Duration.ZERO,
                -1,
                false,
                true,
                null,
                null,
                null,
                false);
    }

    public StubResponse header(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new StubResponse(
                status,
                more,
                body,
                content,
                tokens,
                delay,
                tokenDelay,
                stallAfter,
                malformedJson,
                closeWithoutAnswer,
                promptTokens,
                completionTokens,
                model,
                jsonEvenIfStreamed);
    }

    public StubResponse body(String body) {
        return new StubResponse(
                status,
                headers,
                body,
                content,
                tokens,
                delay,
                tokenDelay,
                stallAfter,
                malformedJson,
                closeWithoutAnswer,
                promptTokens,
                completionTokens,
                model,
                jsonEvenIfStreamed);
    }

    public StubResponse tokens(String... tokens) {
        return new StubResponse(
                status,
                headers,
                body,
                String.join("", tokens),
                List.of(tokens),
                delay,
                tokenDelay,
                stallAfter,
                malformedJson,
                closeWithoutAnswer,
                promptTokens,
                completionTokens,
                model,
                jsonEvenIfStreamed);
    }

    public StubResponse delay(Duration delay) {
        return new StubResponse(
                status,
                headers,
                body,
                content,
                tokens,
                delay,
                tokenDelay,
                stallAfter,
                malformedJson,
                closeWithoutAnswer,
                promptTokens,
                completionTokens,
                model,
                jsonEvenIfStreamed);
    }

    public StubResponse tokenDelay(Duration tokenDelay) {
        return new StubResponse(
                status,
                headers,
                body,
                content,
                tokens,
                delay,
                tokenDelay,
                stallAfter,
                malformedJson,
                closeWithoutAnswer,
                promptTokens,
                completionTokens,
                model,
                jsonEvenIfStreamed);
    }

    public StubResponse withStallAfter(int tokens) {
        return new StubResponse(
                status,
                headers,
                body,
                content,
                this.tokens,
                delay,
                tokenDelay,
                tokens,
                malformedJson,
                closeWithoutAnswer,
                promptTokens,
                completionTokens,
                model,
                jsonEvenIfStreamed);
    }

    public StubResponse withMalformed() {
        return new StubResponse(
                status,
                headers,
                body,
                content,
                tokens,
                delay,
                tokenDelay,
                stallAfter,
                true,
                closeWithoutAnswer,
                promptTokens,
                completionTokens,
                model,
                jsonEvenIfStreamed);
    }

    /** Fixed usage figures instead of the estimate (characters / 4). */
    public StubResponse usage(int prompt, int completion) {
        return new StubResponse(
                status,
                headers,
                body,
                content,
                tokens,
                delay,
                tokenDelay,
                stallAfter,
                malformedJson,
                closeWithoutAnswer,
                prompt,
                completion,
                model,
                jsonEvenIfStreamed);
    }

    /** The model name reported in the answer (default: the one requested). */
    public StubResponse model(String model) {
        return new StubResponse(
                status,
                headers,
                body,
                content,
                tokens,
                delay,
                tokenDelay,
                stallAfter,
                malformedJson,
                closeWithoutAnswer,
                promptTokens,
                completionTokens,
                model,
                jsonEvenIfStreamed);
    }

    /** Answers with one JSON completion even when the request asked for a stream (as some servers do). */
    public StubResponse asJsonEvenIfStreamed() {
        return new StubResponse(
                status,
                headers,
                body,
                content,
                tokens,
                delay,
                tokenDelay,
                stallAfter,
                malformedJson,
                closeWithoutAnswer,
                promptTokens,
                completionTokens,
                model,
                true);
    }

    public boolean success() {
        return status >= 200 && status < 300;
    }

    /** The tokens a stream sends: the ones given, else words with their leading white space. */
    public List<String> streamTokens() {
        if (tokens != null) {
            return tokens;
        }
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(content == null ? "" : content);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
