package io.llmanalytics.store;

import com.mongodb.MongoException;
import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.smallrye.mutiny.TimeoutException;
import java.time.Duration;

/** Maps failures to reach the store (driver errors, timeouts) to a 503 problem; other failures pass unchanged. */
public final class StoreFailures {

    private StoreFailures() {}

    public static boolean isStoreFailure(Throwable e) {
        return e instanceof MongoException
                || e instanceof TimeoutException
                || e instanceof java.util.concurrent.TimeoutException;
    }

    public static Throwable unavailable(Throwable e) {
        return new ProblemException(
                Problem.of(
                        ProblemType.STORE_UNAVAILABLE,
                        "The store did not answer (" + e.getClass().getSimpleName()
                                + "); nothing was changed. Try again shortly."),
                Duration.ofSeconds(5),
                e);
    }
}
