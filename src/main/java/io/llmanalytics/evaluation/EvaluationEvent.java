package io.llmanalytics.evaluation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What an evaluation streams: one {@code evaluation_item} per verified question, then {@code evaluation_done}. */
public sealed interface EvaluationEvent {

    /** The SSE event name. */
    @JsonIgnore
    String name();

    /** One question's outcome. */
    @RegisterForReflection
    record ItemDone(Evaluation.Item item) implements EvaluationEvent {
        public String name() {
            return "evaluation_item";
        }
    }

    /** The whole evaluation, as kept. */
    @RegisterForReflection
    record Done(Evaluation evaluation) implements EvaluationEvent {
        public String name() {
            return "evaluation_done";
        }
    }
}
