package io.llmanalytics.analysis;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.validation.Violation;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * What an analysis streams, one record per named Server-Sent Event. Every stream ends with exactly one {@link Done}
 * or {@link Error}.
 */
public sealed interface AnalysisEvent {

    /** The SSE event name. */
    @JsonIgnore
    String name();

    /** Whether this event ends the stream. */
    @JsonIgnore
    default boolean terminal() {
        return false;
    }

    /** A stage begins: {@code generating}, {@code validating}, {@code executing} or {@code interpreting}. */
    @RegisterForReflection
    record Status(String stage, int attempt) implements AnalysisEvent {
        public String name() {
            return "status";
        }
    }

    /** The code of an attempt, as extracted from the model's answer. */
    @RegisterForReflection
    record Code(int attempt, String code) implements AnalysisEvent {
        public String name() {
            return "code";
        }
    }

    /** The validator's verdict on an attempt's code. */
    @RegisterForReflection
    record Validation(int attempt, boolean ok, List<Violation> violations) implements AnalysisEvent {
        public String name() {
            return "validation";
        }
    }

    /** How an attempt's execution went; {@code execution_time} in seconds. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Execution(int attempt, boolean success, String stdout, String error, double executionTime, Boolean cached)
            implements AnalysisEvent {
        public String name() {
            return "execution";
        }
    }

    /**
     * What the executed code computes, in plain words, before its result: the offline analyst's reading of the
     * question, or the model's one-line statement of its code. Sent only when the analyst stated one.
     */
    @RegisterForReflection
    record Reading(String text) implements AnalysisEvent {
        public String name() {
            return "reading";
        }
    }

    /** The successful attempt's result, as the worker typed it. */
    @RegisterForReflection
    record Result(int attempt, JsonNode result, boolean truncated) implements AnalysisEvent {
        public String name() {
            return "result";
        }
    }

    /**
     * One figure the code drew, the data behind it ({@code plot}: per Axes its kind, title, axis labels and series
     * {label, kind, x, y}; null when it could not be read) and its interactive form ({@code spec}: a Plotly figure
     * {@code {data, layout}}, null when there is none; {@code specNote} says why, or what was cut).
     */
    @RegisterForReflection
    record Chart(String mime, String data, int width, int height, JsonNode plot, JsonNode spec, String specNote)
            implements AnalysisEvent {
        public String name() {
            return "chart";
        }
    }

    /**
     * The next piece of the interpretation; {@code reset} means the text so far is withdrawn (it stated numbers the
     * result does not support) and a new one follows.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    record Interpretation(String delta, boolean reset) implements AnalysisEvent {
        public String name() {
            return "interpretation";
        }
    }

    /**
     * The analyst asks back instead of guessing: the question can be read in several ways that give different answers.
     * Each option is a complete question the user can send as it is. Followed by {@code done}, whose answer carries
     * the same clarification (and no code or result).
     */
    @RegisterForReflection
    record Clarification(String question, List<String> options) implements AnalysisEvent {
        public String name() {
            return "clarification";
        }
    }

    /**
     * Ends a batch's stream, after every question's own {@code done} or {@code error}: how many questions there were,
     * how many were answered, failed, or declined (not understood, or answered with a clarifying question).
     */
    @RegisterForReflection
    record BatchDone(int total, int answered, int failed, int declined) implements AnalysisEvent {
        public String name() {
            return "batch_done";
        }
    }

    /** The complete answer. */
    @RegisterForReflection
    record Done(Answer answer) implements AnalysisEvent {
        public String name() {
            return "done";
        }

        public boolean terminal() {
            return true;
        }
    }

    /**
     * The analysis could not complete: a problem document. Its extension members (a declined question's
     * {@code unrecognized} words and {@code suggestions}) are top-level fields, as in the problem body.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(
            String type,
            String title,
            int status,
            String detail,
            String conversationId,
            @JsonIgnore Map<String, Object> extensions)
            implements AnalysisEvent {

        public Error {
            extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
        }

        public Error(String type, String title, int status, String detail, String conversationId) {
            this(type, title, status, detail, conversationId, Map.of());
        }

        @JsonAnyGetter
        public Map<String, Object> extensionMembers() {
            return extensions;
        }

        public String name() {
            return "error";
        }

        public boolean terminal() {
            return true;
        }
    }

    /** The plan of a multi-step analysis (modes other than {@code answer}): one line per step, in order. */
    @RegisterForReflection
    record Plan(String mode, List<String> steps) implements AnalysisEvent {
        public String name() {
            return "plan";
        }
    }

    /** A step that still failed after its attempts (or was stopped by a budget); the analysis goes on without it. */
    @RegisterForReflection
    record StepFailed(int step, String reason) implements AnalysisEvent {
        public String name() {
            return "step_failed";
        }
    }

    /** The synthesis of a multi-step analysis, every number grounded on a step's result. */
    @RegisterForReflection
    record Report(ModeAnswer.Report report) implements AnalysisEvent {
        public String name() {
            return "report";
        }
    }

    /**
     * An event of one step of a multi-step analysis: the wrapped event under its own name, its JSON data with
     * {@code step} (from 1) added in front.
     */
    @RegisterForReflection
    @JsonPropertyOrder({"step"})
    record Stepped(int step, @JsonUnwrapped AnalysisEvent event) implements AnalysisEvent {
        public String name() {
            return event.name();
        }
    }

    /** The complete multi-step analysis ({@code done}: plan, steps and report). */
    @RegisterForReflection
    record Finished(ModeAnswer answer) implements AnalysisEvent {
        public String name() {
            return "done";
        }

        public boolean terminal() {
            return true;
        }
    }

    /** Keeps idle connections open; sent as an SSE comment, never as an event. */
    record Heartbeat() implements AnalysisEvent {
        public String name() {
            return "heartbeat";
        }
    }
}
