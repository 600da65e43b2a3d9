package io.llmanalytics.validation;

import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What generated code may do, for people and prompts: the rules, the import allow-list lines (shared with the
 * worker), the names the worker binds before the code runs, and the length limit.
 */
@RegisterForReflection
public record PolicyDescription(List<PolicyRule> rules, List<String> allowedModules, Map<String, String> namespace,
        int maxCodeLength) {

    public PolicyDescription {
        rules = List.copyOf(rules);
        allowedModules = List.copyOf(allowedModules);
        namespace = Map.copyOf(namespace);
    }
}
