package io.llmanalytics.validation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One validator pool for the plain JUnit tests of this package, created on first use and closed when the JVM
 * exits: GraalPy's first context costs seconds, so the tests share it.
 */
final class SharedPool {

    static final int MAX_CODE_LENGTH = 10_000;

    private static final class Holder {
        static final ValidatorPool POOL = create();

        private static ValidatorPool create() {
            ValidatorPool pool = new ValidatorPool(
                    PolicySources.load(),
                    ValidatorPool.Settings.of(2, 256, Duration.ofSeconds(120), Duration.ofSeconds(10)));
            pool.start();
            Runtime.getRuntime().addShutdownHook(new Thread(pool::close));
            return pool;
        }
    }

    private SharedPool() {}

    static ValidatorPool pool() {
        return Holder.POOL;
    }

    /** Checks code the way the service does (Java pre-checks, then the policy). */
    static Verdict check(String code) {
        if (code.isBlank()) {
            return Verdict.refused(new Violation("code-empty", "empty", 1, 1));
        }
        if (code.length() > MAX_CODE_LENGTH) {
            return Verdict.refused(new Violation("code-too-long", "too long", 1, 1));
        }
        try {
            List<Violation> violations = pool().submit(code).get(120, TimeUnit.SECONDS);
            return Verdict.of(violations);
        } catch (Exception e) {
            throw new IllegalStateException("validation failed for a test", e);
        }
    }
}
