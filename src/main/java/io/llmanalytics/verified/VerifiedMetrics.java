package io.llmanalytics.verified;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counters of verified answers ({@code answers.verified} by action: verified, unverified, reused) and of feedback
 * ({@code answers.feedback} by rating: up, down).
 */
@ApplicationScoped
public class VerifiedMetrics {

    private final MeterRegistry registry;

    public VerifiedMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void verified() {
        count("answers.verified", "action", "verified");
    }

    void unverified() {
        count("answers.verified", "action", "unverified");
    }

    /** An analysis answered from a verified answer's code. */
    public void reused() {
        count("answers.verified", "action", "reused");
    }

    void feedback(String rating) {
        count("answers.feedback", "rating", rating);
    }

    private void count(String name, String tag, String value) {
        Counter.builder(name).tag(tag, value).register(registry).increment();
    }
}
