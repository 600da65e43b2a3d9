package io.llmanalytics.store;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Function;

/**
 * The one way a store call is bounded: it fails when the store has not answered within the timeout, and a failure to
 * reach the store (a driver error or that timeout) becomes the 503 problem of {@link StoreFailures#unavailable}.
 * Other failures pass unchanged. Use with {@link Uni#plug}: {@code collection.find(...).plug(StoreCalls.within(t))}.
 */
public final class StoreCalls {

    private StoreCalls() {}

    public static <T> Function<Uni<T>, Uni<T>> within(Duration timeout) {
        return uni -> uni.ifNoItem()
                .after(timeout)
                .fail()
                .onFailure(StoreFailures::isStoreFailure)
                .transform(StoreFailures::unavailable);
    }
}
