package io.llmanalytics.validation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The validator's answer for one piece of code: accepted, or refused with the violations found. */
@RegisterForReflection
public record Verdict(boolean ok, List<Violation> violations) {

    private static final int FEEDBACK_LIMIT = 1500;

    public Verdict {
        violations = List.copyOf(violations);
        if (ok != violations.isEmpty()) {
            throw new IllegalArgumentException("a verdict is ok exactly when it has no violations");
        }
    }

    public static Verdict of(List<Violation> violations) {
        return new Verdict(violations.isEmpty(), violations);
    }

    public static Verdict accepted() {
        return new Verdict(true, List.of());
    }

    public static Verdict refused(Violation violation) {
        return new Verdict(false, List.of(violation));
    }

    /** The rule ids of the violations, without repeats, in order. */
    public Set<String> rules() {
        Set<String> rules = new LinkedHashSet<>();
        violations.forEach(v -> rules.add(v.rule()));
        return rules;
    }

    /**
     * The violations as one short paragraph for the self-heal prompt, e.g. "The validator refused the code: line 2:
     * `open()` is not available: ...; line 5: ...". Empty when the code was accepted.
     */
    public String feedback() {
        if (ok) {
            return "";
        }
        StringBuilder text = new StringBuilder("The validator refused the code: ");
        int shown = 0;
        for (Violation violation : violations) {
            String message = violation.message();
            if (message.endsWith(".")) {
                message = message.substring(0, message.length() - 1);
            }
            String item = "line " + violation.line() + ": " + message;
            if (shown > 0 && text.length() + item.length() + 2 > FEEDBACK_LIMIT) {
                break;
            }
            text.append(shown == 0 ? "" : "; ").append(item);
            shown++;
        }
        if (shown < violations.size()) {
            text.append("; and ").append(violations.size() - shown).append(" more of the same kind");
        }
        char last = text.charAt(text.length() - 1);
        return last == '.' ? text.toString() : text.append('.').toString();
    }
}
