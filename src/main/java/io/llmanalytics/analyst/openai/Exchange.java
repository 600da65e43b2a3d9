package io.llmanalytics.analyst.openai;

import dev.langchain4j.http.client.sse.ServerSentEventParsingHandle;
import io.vertx.core.http.HttpClientRequest;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One HTTP exchange with the endpoint seen from the call that started it: the Vert.x request to reset when the call
 * goes away before the answer is complete, and a single terminal outcome. It is also the LangChain4j parsing handle of
 * a stream, so LangChain4j's {@code StreamingHandle.cancel()} resets the request too. An exchange terminated before
 * its request was issued never issues it.
 */
final class Exchange implements ServerSentEventParsingHandle {

    private final Consumer<Throwable> onFailure;
    private final Runnable onCancel;
    private final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final AtomicBoolean terminated = new AtomicBoolean();

    /**
     * @param onFailure receives the failure that ends the exchange
     * @param onCancel runs when the exchange is terminated before its answer was complete
     */
    Exchange(Consumer<Throwable> onFailure, Runnable onCancel) {
        this.onFailure = onFailure;
        this.onCancel = onCancel;
    }

    /** Records the request; false (and the request reset) when the exchange was already terminated. */
    boolean started(HttpClientRequest sent) {
        request.set(sent);
        if (terminated.get()) {
            sent.reset();
            return false;
        }
        return true;
    }

    /** The whole answer arrived: the connection can be kept. */
    void answered() {
        answered.set(true);
    }

    /** Whether events may still be delivered. */
    boolean open() {
        return !terminated.get();
    }

    /** Ends the exchange with a failure, once; later failures (a reset we caused, a late error) are dropped. */
    void fail(Throwable failure) {
        if (terminated.compareAndSet(false, true)) {
            resetUnlessAnswered();
            onFailure.accept(failure);
        }
    }

    /** Ends the exchange without an outcome (the caller left): the request is reset unless the answer is complete. */
    void terminate() {
        if (terminated.compareAndSet(false, true)) {
            resetUnlessAnswered();
            if (!answered.get()) {
                onCancel.run();
            }
        }
    }

    /** Ends the exchange after its last event: nothing is delivered any more. */
    void complete() {
        answered.set(true);
        terminated.set(true);
    }

    @Override
    public void cancel() {
        terminate();
    }

    @Override
    public boolean isCancelled() {
        return terminated.get() && !answered.get();
    }

    private void resetUnlessAnswered() {
        HttpClientRequest sent = request.get();
        if (sent != null && !answered.get()) {
            sent.reset();
        }
    }
}
