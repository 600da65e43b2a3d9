package io.llmanalytics.analyst.openai;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;

/**
 * The model name the endpoint reported for the last non-streamed answer on the current thread. The AI service's
 * {@code Result} carries the text and token usage but not the model; LangChain4j calls listeners on the calling
 * thread, and the analyst makes each non-streamed call on a virtual thread of its own.
 */
final class ReportedModel implements ChatModelListener {

    private static final ThreadLocal<String> LAST = new ThreadLocal<>();

    @Override
    public void onResponse(ChatModelResponseContext context) {
        LAST.set(context.chatResponse().modelName());
    }

    /** The model the last answer on this thread reported, or null; forgets it. */
    static String take() {
        String model = LAST.get();
        LAST.remove();
        return model;
    }
}
