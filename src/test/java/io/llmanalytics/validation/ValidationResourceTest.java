package io.llmanalytics.validation;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Context;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The validator inside Quarkus: its class loaders, CDI, readiness, health and the policy endpoint. */
@QuarkusTest
class ValidationResourceTest {

    @Inject
    CodeValidator validator;

    @BeforeEach
    void waitUntilReady() {
        await("the validator pool became ready").atMost(Duration.ofMinutes(2)).until(validator::ready);
    }

    @Test
    void readinessIncludesTheWarmPool() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'validator' }.status", equalTo("UP"))
                // two contexts at start (the pool's maximum), both warm once the pool is ready
                .body("checks.find { it.name == 'validator' }.data.ready_contexts", equalTo(2))
                .body("checks.find { it.name == 'validator' }.data.max_contexts", equalTo(2));
    }

    @Test
    void apiHealthListsTheValidator() {
        given().when()
                .get("/api/health")
                .then()
                .body("components.validator.status", equalTo("up"))
                .body("components.validator.details.contexts", allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(2)))
                .body("components.validator.details.initial_contexts", equalTo(2))
                .body("components.validator.details.max_contexts", equalTo(2))
                .body("components.validator.details.warm_up_ms", greaterThan(0));
    }

    @Test
    void policyListsRulesModulesAndNamespace() {
        given().when()
                .get("/api/policy")
                .then()
                .statusCode(200)
                .body(
                        "rules.id",
                        hasItems(
                                "syntax-error",
                                "import-not-allowed",
                                "forbidden-builtin",
                                "dunder",
                                "module-attribute",
                                "module-as-value",
                                "file-access",
                                "eval-expression",
                                "formula-expression",
                                "result-missing",
                                "code-too-long",
                                "code-empty",
                                "annotation",
                                "string-evaluation",
                                "string-attribute-access"))
                .body("allowed_modules", hasItems("pandas.*", "!pandas.io.*", "io"))
                .body("namespace.pd", equalTo("pandas"))
                .body("max_code_length", equalTo(10000));
    }

    @Test
    void acceptsAnalysisCodeOffTheEventLoop() {
        Verdict verdict = validator.validate("""
                totals = df.groupby('category')['revenue'].sum().sort_values(ascending=False)
                result = totals.head(5)
                """).await().atMost(Duration.ofSeconds(30));
        assertTrue(verdict.ok(), verdict::feedback);
        assertFalse(Context.isOnEventLoopThread());
    }

    @Test
    void refusesWithMessagesForTheLlm() {
        Verdict verdict = validator.validateBlocking("import os\nresult = open('/etc/passwd').read()");
        assertFalse(verdict.ok());
        assertEquals(List.of("import-not-allowed", "forbidden-builtin"), List.copyOf(verdict.rules()));
        assertEquals(1, verdict.violations().get(0).line());
        assertEquals(2, verdict.violations().get(1).line());
        assertTrue(verdict.feedback().contains("`open()` is not available"), verdict.feedback());
    }

    @Test
    void refusesEmptyAndTooLongCodeWithoutPython() {
        assertEquals(
                List.of("code-empty"),
                List.copyOf(validator.validateBlocking("  \n").rules()));
        assertEquals(
                List.of("code-empty"),
                List.copyOf(validator.validateBlocking(null).rules()));
        String tooLong = "result = 1\n" + "#".repeat(10_000);
        assertEquals(
                List.of("code-too-long"),
                List.copyOf(validator.validateBlocking(tooLong).rules()));
    }

    @Test
    void reportsSyntaxErrorsWithPythonsMessage() {
        Verdict verdict = validator.validateBlocking("result = df.groupby('a'['b'].sum(");
        assertEquals("syntax-error", verdict.violations().get(0).rule());
        assertTrue(verdict.violations().get(0).message().startsWith("SyntaxError: "), verdict.feedback());
    }
}
