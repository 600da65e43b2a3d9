package io.llmanalytics.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule fires on its case and lets its near miss through (src/test/resources/validation/rule-cases.json). */
class RuleCasesTest {

    private static final String LONG = "result = 1\n" + "x = 1\n".repeat(2000);
    private static final String DEEP = "x = " + "-".repeat(5000) + "1\nresult = x";

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (JsonNode row : TestData.resourceJson("validation/rule-cases.json").path("cases")) {
            cases.add(Arguments.of(
                    row.path("rule").asText(),
                    expand(row.path("fires").asText()),
                    row.path("passes").asText()));
        }
        return cases.stream();
    }

    private static String expand(String code) {
        return code.replace("@@LONG@@", LONG).replace("@@DEEP@@", DEEP);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void ruleFiresAndNearMissPasses(String rule, String fires, String passes) {
        Verdict refused = SharedPool.check(fires);
        assertFalse(refused.ok(), () -> "should be refused: " + fires);
        assertTrue(
                refused.rules().contains(rule),
                () -> "expected " + rule + " for " + fires + " but got " + refused.violations());
        refused.violations().forEach(v -> {
            assertFalse(v.message().isBlank());
            assertTrue(v.line() > 0 && v.column() > 0, () -> "position of " + v);
        });

        Verdict accepted = SharedPool.check(passes);
        assertEquals(List.of(), accepted.violations(), () -> "near miss should pass: " + passes);
        assertTrue(accepted.ok());
    }

    @Test
    void everyRuleHasACaseThatFiresAndANearMiss() {
        Set<String> covered = new TreeSet<>();
        cases().forEach(arguments -> covered.add((String) arguments.get()[0]));
        Set<String> rules = new TreeSet<>();
        PolicySources.load().describe(10_000).rules().forEach(rule -> rules.add(rule.id()));
        rules.remove("validator-error"); // only a failing policy triggers it: see PoolBehaviourTest
        assertEquals(rules, covered);
    }
}
