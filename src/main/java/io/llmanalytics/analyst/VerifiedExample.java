package io.llmanalytics.analyst;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A question a person verified the answer of, and its code: shown to the model as an example, quoted as data. */
@RegisterForReflection
public record VerifiedExample(String question, String code) {}
