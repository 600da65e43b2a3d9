package io.llmanalytics.analyst.openai;

import dev.langchain4j.model.chat.ChatModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** Gives the AI services the code-generation model of {@link OpenAiEndpoint}. */
@ApplicationScoped
public class CodeGenerationModel implements Supplier<ChatModel> {

    private final OpenAiEndpoint endpoint;

    public CodeGenerationModel(OpenAiEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public ChatModel get() {
        return endpoint.codeGenerationModel();
    }
}
