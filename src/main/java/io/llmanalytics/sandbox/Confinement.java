package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the worker's start-up self-test proved about the kernel confinement of execution children (see
 * {@code guard.confinement_self_test}): a forked child confined with Landlock could not read a file outside the
 * library directories, list {@code /}, nor (where the kernel's Landlock ABI handles them) connect over TCP or signal
 * its parent.
 *
 * @param confined whether file system confinement was proved; without it analysis code is refused unless
 *        {@code allowUnconfined}
 * @param landlockAbi the kernel's Landlock ABI version (0: none)
 * @param filesystem reads and listings outside the libraries were refused
 * @param network TCP connections were refused by Landlock (ABI 4 and later; seccomp refuses sockets anyway)
 * @param signals signals to other processes were refused by Landlock (ABI 6 and later; seccomp refuses kill anyway)
 * @param problem why confinement is not proved (null when it is)
 * @param allowUnconfined whether the unsafe development setting lets analysis code run unconfined
 */
@RegisterForReflection
public record Confinement(
        boolean confined,
        int landlockAbi,
        boolean filesystem,
        boolean network,
        boolean signals,
        String problem,
        boolean allowUnconfined) {

    /** Reads the {@code confinement} object of a {@code ready} message; a worker that sends none is not confined. */
    static Confinement of(JsonNode node) {
        if (node == null || !node.isObject()) {
            return new Confinement(
                    false, 0, false, false, false, "the worker reported no confinement self-test", false);
        }
        boolean confined = node.path("confined").asBoolean(false);
        String problem = node.path("problem").isTextual() ? node.path("problem").asText() : null;
        return new Confinement(
                confined,
                node.path("landlock_abi").asInt(0),
                node.path("filesystem").asBoolean(false),
                node.path("network").asBoolean(false),
                node.path("signals").asBoolean(false),
                confined ? null : problem == null ? "the confinement self-test failed" : problem,
                node.path("allow_unconfined").asBoolean(false));
    }

    /** Whether analysis code may run: confined, or the unsafe development setting is on. */
    boolean mayRun() {
        return confined || allowUnconfined;
    }

    String describe() {
        return confined
                ? "confined by Landlock ABI " + landlockAbi + " (network " + network + ", signals " + signals + ")"
                : "NOT confined: " + problem;
    }
}
