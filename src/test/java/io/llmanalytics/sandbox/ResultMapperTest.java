package io.llmanalytics.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.sandbox.WorkerReply.Result;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every outcome the worker reports, as the service sees it. */
class ResultMapperTest {

    private final ResultMapper mapper = new ResultMapper(new TestSettings().build());

    private static Result frame(String outcome, String body) {
        return new Result(
                1,
                outcome,
                12,
                9,
                3,
                "the worker process of this session stopped (signal 9)",
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
                false);
    }

    @Test
    void aSuccessCarriesResultOutputAndCharts() {
        ExecutionResult result = mapper.map(frame("completed", """
                {"status": "ok", "result": {"type": "series", "data": {"a": 1}}, "result_truncated": true,
                 "stdout": "hi", "stdout_truncated": false, "figures": [{"format": "png", "width": 2, "height": 3,
                 "data": "iVBO"}, {"format": "png"}], "figures_truncated": true, "duration_ms": 5}"""));
        assertEquals(Outcome.SUCCESS, result.outcome());
        assertEquals(1, result.result().path("data").path("a").asInt());
        assertTrue(result.resultTruncated());
        assertEquals("hi", result.stdout());
        assertEquals(1, result.charts().size());
        assertEquals(new Chart("png", 2, 3, "iVBO"), result.charts().get(0));
        assertTrue(result.chartsTruncated());
        assertEquals(Duration.ofMillis(12), result.duration());
        assertNull(result.error());
    }

    @Test
    void anExecutionShorterThanAMillisecondKeepsItsTime() {
        Result quick = new Result(
                1,
                "completed",
                0.421,
                null,
                null,
                null,
                "{\"status\": \"ok\", \"result\": {\"type\": \"scalar\", \"value\": 1}}"
                        .getBytes(StandardCharsets.UTF_8),
                false);
        assertEquals(Duration.ofNanos(421_000), mapper.map(quick).duration());
    }

    @Test
    void errorsKeepTheirTypeMessageTracebackAndLine() {
        ExecutionResult result = mapper.map(frame("completed", """
                {"status": "error", "error": {"type": "KeyError", "message": "'x'", "traceback": "tb", "line": 4},
                 "stdout": "before"}"""));
        assertEquals(new ExecutionError("KeyError", "'x'", "tb", 4), result.error());
        assertEquals("before", result.stdout());
        ExecutionResult bare = mapper.map(frame("completed", "{\"status\": \"error\", \"error\": {}}"));
        assertEquals(new ExecutionError("Error", "", "Error: ", null), bare.error());
    }

    @Test
    void outcomesOfTheProcess() {
        assertEquals(Outcome.TIMEOUT, mapper.map(frame("timeout", null)).outcome());
        assertTrue(mapper.map(frame("timeout", null)).error().message().contains("5 s"));
        ExecutionResult cpu = mapper.map(frame("cpu_limit", null));
        assertEquals(Outcome.KILLED, cpu.outcome());
        assertEquals("CpuTimeExceeded", cpu.error().type());
        ExecutionResult killed = mapper.map(frame("killed", null));
        assertEquals(Outcome.KILLED, killed.outcome());
        assertTrue(killed.error().message().contains("signal 9 (out of memory?)"));
        assertTrue(
                ResultMapper.killedBy(31).contains("system call the sandbox does not allow"),
                "a seccomp kill (SIGSYS) says what refused the code");
        assertEquals("the code was stopped by signal 15", ResultMapper.killedBy(15));
        ExecutionResult crashed = mapper.map(frame("crashed", null));
        assertEquals("Crashed", crashed.error().type());
        assertTrue(crashed.error().message().contains("exit code 3"));
        assertEquals(
                "InvalidResult", mapper.map(frame("no_output", null)).error().type());
        assertEquals(
                "InvalidResult", mapper.map(frame("too_large", null)).error().type());
        assertEquals(
                "InvalidResult",
                mapper.map(frame("completed", "{\"status\": \"maybe\"}"))
                        .error()
                        .type());
    }

    @Test
    void failuresOfTheWorkerAreProblems() {
        ProblemException died = assertThrows(ProblemException.class, () -> mapper.map(frame("worker_died", null)));
        assertEquals(ProblemType.WORKER_UNAVAILABLE, died.type());
        assertTrue(died.getMessage().contains("signal 9"));
        ProblemException setup = assertThrows(
                ProblemException.class,
                () -> mapper.map(
                        frame(
                                "completed",
                                "{\"status\": \"setup_failed\", \"error\": {\"message\": \"the sandbox could not be set up: x\"}}")));
        assertEquals(ProblemType.WORKER_UNAVAILABLE, setup.type());
        assertEquals(
                ProblemType.INTERNAL,
                assertInstanceOf(
                                ProblemException.class,
                                assertThrows(ProblemException.class, () -> mapper.map(frame("rejected", null))))
                        .type());
        assertEquals(
                ProblemType.TIMEOUT,
                assertThrows(ProblemException.class, () -> mapper.map(frame("cancelled", null)))
                        .type());
    }
}
