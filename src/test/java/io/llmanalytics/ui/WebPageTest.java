package io.llmanalytics.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.llmanalytics.testing.Corpus;
import io.llmanalytics.testing.OwnJvm;
import io.llmanalytics.testing.llm.InjectOpenAiStub;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The web page served at {@code /}, end to end in headless Chromium (Debian's {@code chromium} driven by
 * playwright-core): the scenarios in {@code src/test/ui/tests} run against this test's service, with the real store,
 * validator and worker, and the LLM stub answering from {@code src/test/ui/fixtures/llm-script.json}. Each scenario is
 * reported as its own test; screenshots land in {@code target/ui-screenshots}, the runner's log in
 * {@code target/ui-test.log}.
 */
@QuarkusTest
@OwnJvm
@TestProfile(WebPageProfile.class)
class WebPageTest {

    private static final Path PROJECT = Path.of("src", "test", "ui");

    @InjectOpenAiStub
    OpenAiStub stub;

    @TestHTTPResource("/")
    URI base;

    @AfterEach
    void forgetTheScript() {
        stub.reset();
    }

    @TestFactory
    List<DynamicTest> theWebPageInHeadlessChromium() throws Exception {
        stub.reset();
        LlmScript.load(PROJECT.resolve("fixtures/llm-script.json")).install(stub);
        BrowserRun.Outcome outcome = new BrowserRun(PROJECT, Path.of("target")).run(base, Corpus.root());
        List<DynamicTest> tests = new ArrayList<>();
        for (BrowserRun.Scenario scenario : outcome.scenarios()) {
            tests.add(DynamicTest.dynamicTest(scenario.name(), () -> {
                if (!scenario.passed()) {
                    fail(scenario.error() + "\n(screenshots: target/ui-screenshots, log: target/ui-test.log)");
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("the runner ran every scenario and exited cleanly", () -> {
            assertFalse(outcome.scenarios().isEmpty(), "no scenario ran:\n" + BrowserRun.tail(outcome.output()));
            boolean allPassed = outcome.scenarios().stream().allMatch(BrowserRun.Scenario::passed);
            assertEquals(allPassed ? 0 : 1, outcome.exitCode(), BrowserRun.tail(outcome.output()));
        }));
        return tests;
    }
}
