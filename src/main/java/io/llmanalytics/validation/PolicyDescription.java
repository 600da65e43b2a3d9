package io.llmanalytics.validation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * What generated code may do, for people and prompts: the rules, the import allow-list lines (shared with the
 * worker), the names the worker binds before the code runs, and the length limit.
 */
@RegisterForReflection
public record PolicyDescription(
        List<PolicyRule> rules,
        // explicit names: the reflection-free serializers (quarkus.rest.jackson.optimization) ignore both the global
        // SNAKE_CASE strategy and @JsonNaming
        @JsonProperty("allowed_modules") List<String> allowedModules,
        Map<String, String> namespace,
        @JsonProperty("max_code_length") int maxCodeLength) {

    public PolicyDescription {
        rules = List.copyOf(rules);
        allowedModules = List.copyOf(allowedModules);
        namespace = Map.copyOf(namespace);
    }
}
