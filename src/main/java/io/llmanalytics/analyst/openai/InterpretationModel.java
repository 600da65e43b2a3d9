package io.llmanalytics.analyst.openai;

import dev.langchain4j.model.chat.StreamingChatModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

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
