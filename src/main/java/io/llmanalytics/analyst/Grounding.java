package io.llmanalytics.analyst;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Whether an interpretation states only numbers its result supports ({@code done.grounding}).
 *
 * @param ok no stated number is unsupported
 * @param ungrounded the unsupported numbers, as written in the text
 */
@RegisterForReflection
public record Grounding(boolean ok, List<String> ungrounded) {

    public static final Grounding OK = new Grounding(true, List.of());

    public Grounding {
        ungrounded = ungrounded == null ? List.of() : List.copyOf(ungrounded);
    }
}
