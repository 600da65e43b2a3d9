package io.llmanalytics.api;

import io.llmanalytics.validation.CodeValidator;
import io.llmanalytics.validation.PolicyDescription;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The validation policy as data: what generated code may import and do, rule by rule. */
@Path("/api/policy")
public class PolicyResource {

    private final CodeValidator validator;

    public PolicyResource(CodeValidator validator) {
        this.validator = validator;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public PolicyDescription policy() {
        return validator.policy();
    }
}
