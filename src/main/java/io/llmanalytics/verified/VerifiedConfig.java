package io.llmanalytics.verified;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;

/** Verified answers, feedback and evaluations. */
@ConfigMapping(prefix = "verified")
public interface VerifiedConfig {

    /**
     * Lexical similarity (Jaccard of the normalised words and word pairs) from which a verified question is close
     * enough to a new one to be shown to the model as an example ({@code VERIFIED_SIMILARITY}).
     */
    @WithDefault("0.5")
    double similarity();

    /** Verified examples the code-generation prompt carries at most. */
    @WithDefault("3")
    @Min(0) @Max(10) int maxExamples();

    /** Significant digits floats are rounded to in a result's fingerprint ({@code VERIFIED_FINGERPRINT_DIGITS}). */
    @WithDefault("9")
    @Min(1) @Max(17) int fingerprintDigits();

    /** Relative tolerance within which two results' numbers are equal in an evaluation ({@code VERIFIED_TOLERANCE}). */
    @WithDefault("1e-6")
    double tolerance();

    /** Verified answers a session keeps at most. */
    @WithDefault("100")
    @Positive int maxPerSession();

    /** Longest feedback comment, in characters. */
    @WithDefault("1000")
    @Positive int maxCommentLength();

    /** Longest result kept with a verified answer for numeric comparison, in characters of JSON. */
    @WithDefault("20000")
    @Positive int maxValuesChars();

    /** Evaluations listed (and kept) per session, newest first. */
    @WithDefault("20")
    @Positive int maxEvaluations();
}
