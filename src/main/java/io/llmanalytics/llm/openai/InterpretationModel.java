package io.llmanalytics.llm.openai;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.model.chat.StreamingChatModel;

/** Gives the AI services the streaming interpretation model of {@link OpenAiEndpoint}. */
@ApplicationScoped
public class InterpretationModel implements Supplier<StreamingChatModel> {

    private final OpenAiEndpoint endpoint;

    public InterpretationModel(OpenAiEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public StreamingChatModel get() {
        return endpoint.interpretationModel();
    }
}
