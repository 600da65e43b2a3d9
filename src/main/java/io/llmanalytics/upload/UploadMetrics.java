package io.llmanalytics.upload;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemFailures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;

/**
 * Uploads, under {@code upload.*}: {@code upload.size} (bytes of each uploaded file) and {@code upload.duration}
 * (ingest: parse, profile and store, after the body has arrived), both tagged by {@code format} and {@code outcome}
 * ({@code ok}, {@code cancelled} or the problem type, such as {@code unreadable-file}); {@code upload.rejected}
 * counts bodies refused before they were read in full ({@code reason=too_large}); {@code upload.phase} times each
 * phase of an upload's ingest ({@link IngestPhase}: receive, parse, store-original, ...), tagged by {@code phase},
 * {@code format} and {@code outcome}. The same phases are in the upload response's {@code Server-Timing} header.
 */
@ApplicationScoped
public class UploadMetrics {

    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;

    public UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One upload was ingested (or failed to be): its size, how long the ingest took, its format and outcome. */
    public void ingested(long bytes, Duration duration, String format, String outcome) {
        String f = format == null ? UNKNOWN : format;
        DistributionSummary.builder("upload.size")
                .description("Size of uploaded files")
                .baseUnit("bytes")
                .tag("format", f)
                .tag("outcome", outcome)
                .register(registry)
                .record(Math.max(0, bytes));
        Timer.builder("upload.duration")
                .description("Ingest of an upload: parse, profile and store")
                .tag("format", f)
                .tag("outcome", outcome)
                .register(registry)
                .record(duration);
    }

    /** The phases of one upload's ingest ({@code upload.phase}), with its format (null: unknown) and outcome. */
    public void phases(IngestTimings timings, String format, String outcome) {
        String f = format == null ? UNKNOWN : format;
        timings.phases()
                .forEach((phase, duration) -> Timer.builder("upload.phase")
                        .description("One phase of an upload's ingest")
                        .tag("phase", phase.metric())
                        .tag("format", f)
                        .tag("outcome", outcome)
                        .register(registry)
                        .record(duration));
    }

    /** An upload refused before its body was read in full. */
    public void rejected(String reason) {
        Counter.builder("upload.rejected")
                .description("Uploads refused before their body was read")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** The outcome tag of an ingest that ended with {@code failure} ({@code null}: it succeeded). */
    public static String outcome(Throwable failure, boolean cancelled) {
        if (cancelled) {
            return "cancelled";
        }
        if (failure == null) {
            return "ok";
        }
        ProblemException problem = ProblemFailures.find(failure);
        if (problem == null) {
            return "error";
        }
        String uri = problem.type().uri();
        return uri.substring(uri.lastIndexOf(':') + 1).toLowerCase(Locale.ROOT);
    }
}
