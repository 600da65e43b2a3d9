package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.WorkerReply.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@code result} reply into an {@link ExecutionResult}. What the code caused (its exceptions, its deadline,
 * its limits, a malformed or oversized result) is a result; what the worker caused (a session process that died, a
 * sandbox that could not be set up) is a {@link ProblemException}.
 */
final class ResultMapper {

    private final SandboxSettings settings;

    ResultMapper(SandboxSettings settings) {
        this.settings = settings;
    }

    ExecutionResult map(Result reply) {
        // milliseconds to the microsecond: an execution shorter than a millisecond still has its time
        Duration duration = Duration.ofNanos(Math.round(reply.durationMs() * 1_000_000));
        String outcome = reply.outcome();
        int signal = reply.signal() == null ? 0 : reply.signal();
        return switch (outcome) {
            case "completed" -> completed(reply, duration);
            case "timeout" ->
                ExecutionResult.failed(
                        Outcome.TIMEOUT,
                        ExecutionError.of(
                                "TimeoutError", "the code did not finish within " + seconds(settings.timeout())),
                        duration);
            case "cpu_limit" ->
                ExecutionResult.failed(
                        Outcome.KILLED,
                        ExecutionError.of(
                                "CpuTimeExceeded",
                                "the code used more than " + settings.cpuSeconds() + " s of CPU time"),
                        duration);
            case "killed" ->
                ExecutionResult.failed(Outcome.KILLED, ExecutionError.of("Killed", killedBy(signal)), duration);
            case "crashed" ->
                ExecutionResult.failed(
                        Outcome.KILLED,
                        ExecutionError.of(
                                "Crashed",
                                "the execution ended unexpectedly (exit code "
                                        + (reply.exitCode() == null ? -1 : reply.exitCode()) + ")"),
                        duration);
            case "no_output" -> invalid("the code ended its process without a result", duration);
            case "too_large" -> invalid("the result was larger than the worker accepts", duration);
            case "worker_died" ->
                throw new ProblemException(
                        ProblemType.WORKER_UNAVAILABLE,
                        (reply.error() == null ? "the worker process of this session stopped" : reply.error())
                                + "; the session's data is loaded again on the next request");
            case "cancelled" -> throw new ProblemException(ProblemType.TIMEOUT, "the execution was cancelled");
            default ->
                throw new ProblemException(
                        ProblemType.INTERNAL,
                        "the analysis worker could not run the code: "
                                + (reply.error() == null ? outcome : reply.error()));
        };
    }

    private ExecutionResult completed(Result frame, Duration duration) {
        if (frame.oversized()) {
            return invalid(
                    "the result was larger than " + WorkerConnection.MAX_FRAME / (1024 * 1024) + " MiB", duration);
        }
        JsonNode body;
        try {
            body = FrameCodec.JSON.readTree(frame.body());
        } catch (IOException e) {
            return invalid("the code's output could not be read as a result", duration);
        }
        if (!(body instanceof ObjectNode)) {
            return invalid("the code's output could not be read as a result", duration);
        }
        String status = body.path("status").asText("");
        String stdout = body.path("stdout").isTextual() ? body.path("stdout").asText() : "";
        boolean stdoutTruncated = body.path("stdout_truncated").asBoolean(false);
        return switch (status) {
            case "ok" ->
                new ExecutionResult(
                        Outcome.SUCCESS,
                        body.has("result") ? body.get("result") : null,
                        body.path("result_truncated").asBoolean(false),
                        stdout,
                        stdoutTruncated,
                        charts(body),
                        body.path("figures_truncated").asBoolean(false),
                        null,
                        duration,
                        body.path("summary").isObject() ? body.get("summary") : null);
            case "error" ->
                new ExecutionResult(
                        Outcome.ERROR,
                        null,
                        false,
                        stdout,
                        stdoutTruncated,
                        List.of(),
                        false,
                        error(body.path("error")),
                        duration);
            case "setup_failed" ->
                throw new ProblemException(
                        ProblemType.WORKER_UNAVAILABLE,
                        body.path("error").path("message").asText("the sandbox could not be set up"));
            default -> invalid("the code's output is not a result", duration);
        };
    }

    private static ExecutionError error(JsonNode node) {
        String type = text(node.path("type"), "Error");
        String message = text(node.path("message"), "");
        return new ExecutionError(
                type,
                message,
                text(node.path("traceback"), type + ": " + message),
                node.path("line").isInt() ? node.path("line").asInt() : null);
    }

    /** A figure's Plotly spec when it is an object with a {@code data} array and is within the size bound. */
    private static JsonNode spec(JsonNode figure) {
        JsonNode spec = figure.path("spec");
        if (!spec.isObject() || !spec.path("data").isArray()) {
            return null;
        }
        return spec.toString().length() <= Chart.MAX_SPEC_CHARS ? spec : null;
    }

    private static List<Chart> charts(JsonNode body) {
        List<Chart> charts = new ArrayList<>();
        for (JsonNode figure : body.path("figures")) {
            if (figure.path("data").isTextual()) {
                charts.add(new Chart(
                        text(figure.path("format"), "png"),
                        figure.path("width").asInt(),
                        figure.path("height").asInt(),
                        figure.path("data").asText(),
                        figure.path("plot").isObject() ? figure.get("plot") : null,
                        spec(figure),
                        figure.path("spec_note").isTextual()
                                ? figure.get("spec_note").asText()
                                : null));
            }
        }
        return charts;
    }

    private static String text(JsonNode node, String otherwise) {
        return node.isTextual() ? node.asText() : otherwise;
    }

    private static ExecutionResult invalid(String message, Duration duration) {
        return ExecutionResult.failed(Outcome.ERROR, ExecutionError.of("InvalidResult", message), duration);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Why a child stopped by {@code signal} stopped, in words: SIGSYS is the seccomp allow-list's refusal. */
    static String killedBy(int signal) {
        return switch (signal) {
            case 31 ->
                "the code made a system call the sandbox does not allow (stopped by its seccomp filter, signal 31);"
                        + " network, process, file-writing and kernel calls are refused to analysis code";
            case 9 -> "the code was stopped by signal 9 (out of memory?)";
            default -> "the code was stopped by signal " + signal;
        };
    }
}
