package io.llmanalytics.analyst.openai;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTP exchanges one call started, so that cancelling the call resets them at any stage, also before LangChain4j
 * has handed out its {@code StreamingHandle} (it does so only with the first token). A call cancelled beforehand
 * sends nothing at all: a blocking call then fails with a {@code CancellationException}, a stream stays silent.
 *
 * <p>LangChain4j starts a stream synchronously: {@code TokenStream.start()} calls the streaming model, which calls
 * {@link VertxHttpClient#execute(dev.langchain4j.http.client.HttpRequest,
 * dev.langchain4j.http.client.sse.ServerSentEventParser, dev.langchain4j.http.client.sse.ServerSentEventListener)}
 * on the same thread before returning. {@link #run} binds this call to the thread for that time, and the client
 * {@link #register registers} every exchange it starts with the bound call.
 */
final class CallExchanges {

    private static final ThreadLocal<CallExchanges> BOUND = new ThreadLocal<>();

    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    /** Runs {@code action} with this call bound to the current thread. */
    void run(Runnable action) {
        CallExchanges previous = BOUND.get();
        BOUND.set(this);
        try {
            action.run();
        } finally {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        }
    }

    /** Resets every exchange of this call whose answer is not complete, and any it starts later. */
    void cancel() {
        cancelled = true;
        exchanges.forEach(Exchange::terminate);
    }

    /** Adds {@code exchange} to the call bound to the current thread, if any. */
    static void register(Exchange exchange) {
        CallExchanges call = BOUND.get();
        if (call != null) {
            call.exchanges.add(exchange);
            if (call.cancelled) {
                exchange.terminate();
            }
        }
    }
}
