package io.llmanalytics.sandbox;

import static io.llmanalytics.sandbox.SandboxTest.WAIT;
import static io.llmanalytics.sandbox.SandboxTest.catchFailure;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed, oversized and missing answers from the worker: a program that speaks the framing and then breaks it
 * (src/test/resources/sandbox/fake-worker.py) stands in for a worker gone wrong. Each is a failed execution or a
 * restart, never a crash, and the next execution works.
 */
class SandboxProtocolTest {

    private Sandbox sandbox;

    @BeforeEach
    void start() throws URISyntaxException {
        Path fake = Path.of(getClass().getResource("/sandbox/fake-worker.py").toURI());
        TestSettings settings = new TestSettings();
        settings.timeout = Duration.ofMillis(500);
        settings.grace = Duration.ofMillis(200);
        sandbox = new Sandbox(settings.build(), new LocalDatasetFiles(), new SimpleMeterRegistry());
        sandbox.start(listener -> SupervisorProcess.start(
                List.of("/usr/bin/python3", fake.toString()),
                Map.of("PATH", "/usr/bin:/bin"),
                fake.getParent(),
                WorkerConnection.MAX_FRAME,
                listener));
        sandbox.awaitReady().await().atMost(WAIT);
    }

    @AfterEach
    void stop() {
        sandbox.stop();
    }

    private ExecutionResult run(String code) {
        return sandbox.execute("s", List.of(), code).await().atMost(WAIT);
    }

    @Test
    void aWellFormedResult() {
        assertEquals(42, run("ok").result().asInt());
    }

    @Test
    void bodiesThatAreNotAResultAreInvalidResults() {
        for (String code : List.of("not-json", "not-an-object")) {
            ExecutionResult result = run(code);
            assertEquals(Outcome.ERROR, result.outcome(), code);
            assertEquals("InvalidResult", result.error().type(), code);
        }
        assertEquals(42, run("ok").result().asInt());
    }

    @Test
    void oversizedFramesAreSkippedAndFailTheirExecution() {
        ExecutionResult result = run("oversized");
        assertEquals("InvalidResult", result.error().type());
        assertTrue(
                result.error().message().contains("larger than 24 MiB"),
                result.error().message());
        assertEquals(42, run("ok").result().asInt());
        assertEquals(0, sandbox.status().restarts());
    }

    @Test
    void malformedFramesRestartTheWorkerAndFailTheCaller() {
        for (String code : List.of("bad-header", "huge-header")) {
            long restarts = sandbox.status().restarts();
            ProblemException failure =
                    assertInstanceOf(ProblemException.class, catchFailure(sandbox.execute("s", List.of(), code)));
            assertEquals(ProblemType.WORKER_UNAVAILABLE, failure.type(), code);
            assertTrue(failure.getMessage().contains("malformed message"), failure.getMessage());
            assertEquals(42, run("ok").result().asInt());
            assertEquals(restarts + 1, sandbox.status().restarts());
        }
    }

    @Test
    void aWorkerThatDiesFailsTheCallerAndIsRestarted() {
        ProblemException failure =
                assertInstanceOf(ProblemException.class, catchFailure(sandbox.execute("s", List.of(), "die")));
        assertEquals(ProblemType.WORKER_UNAVAILABLE, failure.type());
        assertTrue(failure.getMessage().contains("exit code 3"), failure.getMessage());
        assertEquals(42, run("ok").result().asInt());
    }

    @Test
    void aWorkerThatStopsAnsweringTimesOutAndIsRestarted() {
        ExecutionResult result = run("silent");
        assertEquals(Outcome.TIMEOUT, result.outcome());
        await().atMost(WAIT).until(() -> sandbox.status().restarts() > 0);
        assertEquals(1, sandbox.status().restarts());
        assertTrue(sandbox.status().lastProblem() == null
                || sandbox.status().lastProblem().contains("stopped answering"));
        assertEquals(42, run("ok").result().asInt());
    }

    @Test
    void anExecutionEndsOnlyWithItsEndOfExecution() {
        for (String code : List.of("no-end", "end-without-result", "two-results", "unknown-type")) {
            ProblemException failure =
                    assertInstanceOf(ProblemException.class, catchFailure(sandbox.execute("s", List.of(), code)));
            assertEquals(ProblemType.WORKER_UNAVAILABLE, failure.type(), code);
            assertTrue(failure.getMessage().contains("broke its protocol"), failure.getMessage());
            assertTrue(failure.getMessage().contains(PROBLEMS.get(code)), code + ": " + failure.getMessage());
            assertEquals(42, run("ok").result().asInt(), code);
        }
        assertEquals(0, sandbox.status().restarts());
    }

    private static final Map<String, String> PROBLEMS = Map.of(
            "no-end", "but not its end-of-execution within 700 ms",
            "end-without-result", "without a result",
            "two-results", "a second result",
            "unknown-type", "unknown reply type 'surprise'");

    @Test
    void aWorkerThatDiesBetweenAResultAndItsEndFailsTheCaller() {
        ProblemException failure = assertInstanceOf(
                ProblemException.class, catchFailure(sandbox.execute("s", List.of(), "result-then-die")));
        assertEquals(ProblemType.WORKER_UNAVAILABLE, failure.type());
        assertTrue(
                failure.getMessage().contains("after the result of this execution but before its end-of-execution"),
                failure.getMessage());
        assertEquals(42, run("ok").result().asInt());
    }
}
