package io.llmanalytics.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.health.ComponentHealth;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sandbox service against the real CPython worker. */
class SandboxTest {

    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final LocalDatasetFiles files = new LocalDatasetFiles();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Sandbox sandbox;
    private List<DatasetSource> sales;

    @BeforeEach
    void dataset() throws IOException {
        Path csv = dir.resolve("sales.csv");
        Files.writeString(csv, """
                city,amount,when,paid
                Paris,10.5,2024-01-01T00:00:00,True
                Lyon,3,2024-01-02T00:00:00,False
                Paris,4,2024-02-01T00:00:00,True
                """);
        files.put("f-sales", csv);
        sales = List.of(new DatasetSource(
                "sales",
                true,
                "f-sales",
                "h-sales",
                List.of("city", "amount", "when", "paid"),
                Map.of("city", "object", "amount", "float64", "when", "datetime64[ns]", "paid", "bool"),
                List.of("when"),
                3,
                List.of("")));
    }

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.stop();
        }
    }

    private void start(TestSettings settings) {
        sandbox = new Sandbox(settings.build(), files, registry);
        sandbox.start();
        sandbox.awaitReady().await().atMost(WAIT);
    }

    private ExecutionResult run(String code) {
        return sandbox.execute("s1", sales, code).await().atMost(WAIT);
    }

    private double count(String name) {
        return registry.get(name).counter().count();
    }

    @Test
    void runsCodeOnTheSessionsDataLoadedOnce() {
        start(new TestSettings());
        ExecutionResult result = run("result = df.groupby('city')['amount'].sum()");
        assertEquals(Outcome.SUCCESS, result.outcome());
        assertTrue(result.succeeded());
        assertEquals("series", result.result().path("type").asText());
        assertEquals(14.5, result.result().path("data").path("Paris").asDouble());
        assertEquals(3.0, result.result().path("data").path("Lyon").asDouble());
        ExecutionResult types = run("result = {c: str(t) for c, t in dfs['sales'].dtypes.items()}");
        assertEquals(
                "{\"city\":\"object\",\"amount\":\"float64\",\"when\":\"datetime64[ns]\",\"paid\":\"bool\"}",
                types.result().toString());
        assertEquals(1, files.materialised.get());
        assertEquals(1, count("sandbox.cache.misses"));
        assertEquals(1, count("sandbox.cache.hits"));
        assertEquals(1, sandbox.status().cachedSessions());
        assertTrue(sandbox.status().cachedBytes() > 0);
        assertEquals(
                2,
                registry.get("sandbox.executions")
                        .tag("outcome", "success")
                        .counter()
                        .count());
        assertEquals(
                2,
                registry.get("sandbox.execution.duration")
                        .tag("outcome", "success")
                        .timer()
                        .count());
    }

    @Test
    void aDataFrameResultIsASampleWithItsShape() {
        start(new TestSettings());
        ExecutionResult result = run("result = df.sort_values('amount')");
        assertEquals("dataframe", result.result().path("type").asText());
        assertEquals("[3,4]", result.result().path("shape").toString());
        assertEquals("Lyon", result.result().path("data").get(0).path("city").asText());
        assertEquals(
                "2024-01-02T00:00:00",
                result.result().path("data").get(0).path("when").asText());
        assertFalse(result.result().path("data").get(0).path("paid").asBoolean(true));
        assertEquals("[1,2,0]", result.result().path("index").toString());
    }

    @Test
    void prefetchLoadsTheDatasetsOnceForEveryone() {
        start(new TestSettings());
        Uni.join()
                .all(sandbox.prefetch("s1", sales), sandbox.prefetch("s1", sales))
                .andFailFast()
                .await()
                .atMost(WAIT);
        assertEquals(3, run("result = len(df)").result().asInt());
        assertEquals(1, files.materialised.get());
        assertEquals(1, count("sandbox.cache.hits"));
        assertEquals(0, count("sandbox.cache.misses"));
    }

    @Test
    void errorsOfTheCodeAreResultsWithTheirTraceback() {
        start(new TestSettings());
        ExecutionResult result = run("x = 1\ny = x / 0");
        assertEquals(Outcome.ERROR, result.outcome());
        assertEquals("ZeroDivisionError", result.error().type());
        assertEquals(2, result.error().line());
        assertTrue(result.error().traceback().contains("line 2"), result.error().traceback());
        assertTrue(result.error().traceback().contains("y = x / 0"));
        assertFalse(result.error().traceback().contains(".py"));
        ExecutionResult forbidden = run("import os");
        assertEquals("ImportError", forbidden.error().type());
        assertTrue(forbidden.error().message().contains("'os'"));
    }

    @Test
    void printedOutputAndChartsComeBack() {
        start(new TestSettings());
        ExecutionResult result = run("print('rows', len(df))\ndf.plot(x='when', y='amount')\nresult = 'done'");
        assertEquals("rows 3\n", result.stdout());
        assertEquals(1, result.charts().size());
        byte[] png = Base64.getDecoder().decode(result.charts().get(0).data());
        assertEquals("PNG", new String(png, 1, 3));
        assertEquals(640, result.charts().get(0).width());
        assertEquals("png", result.charts().get(0).format());
    }

    @Test
    void aTimedOutExecutionFreesItsSlot() {
        TestSettings settings = new TestSettings();
        settings.concurrency = 1;
        settings.timeout = Duration.ofSeconds(1);
        start(settings);
        run("result = 1");
        long started = System.nanoTime();
        ExecutionResult result = run("while True:\n    pass");
        assertEquals(Outcome.TIMEOUT, result.outcome());
        assertTrue(result.error().message().contains("1 s"));
        assertEquals(2, run("result = 2").result().asInt());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(4)) < 0);
        assertEquals(1, count("sandbox.timeouts"));
        assertEquals(1, count("sandbox.kills"));
    }

    @Test
    void theCpuTimeLimitStopsABusyLoopBeforeTheDeadline() {
        TestSettings settings = new TestSettings();
        settings.timeout = Duration.ofSeconds(20);
        settings.cpuTime = Duration.ofSeconds(1);
        start(settings);
        ExecutionResult result = run("while True:\n    pass");
        assertEquals(Outcome.KILLED, result.outcome());
        assertEquals("CpuTimeExceeded", result.error().type());
        assertTrue(
                result.duration().compareTo(Duration.ofSeconds(5)) < 0,
                result.duration().toString());
    }

    @Test
    void aFullQueueIsAnsweredAtOnceWithRetryAfter() {
        TestSettings settings = new TestSettings();
        settings.concurrency = 1;
        settings.queueSize = 1;
        start(settings);
        run("result = 0");
        CompletableFuture<ExecutionResult> first = sandbox.execute(
                        "s1", sales, "import time\ntime.sleep(2)\nresult = 1")
                .subscribeAsCompletionStage();
        CompletableFuture<ExecutionResult> second =
                sandbox.execute("s1", sales, "result = 2").subscribeAsCompletionStage();
        long started = System.nanoTime();
        ProblemException busy =
                assertInstanceOf(ProblemException.class, catchFailure(sandbox.execute("s1", sales, "result = 3")));
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofMillis(500)) < 0);
        assertEquals(ProblemType.WORKER_BUSY, busy.type());
        assertEquals(Optional.of(Duration.ofSeconds(2)), busy.retryAfter());
        assertEquals(1, first.join().result().asInt());
        assertEquals(2, second.join().result().asInt());
        assertEquals(
                1,
                registry.get("sandbox.executions")
                        .tag("outcome", "busy")
                        .counter()
                        .count());
    }

    @Test
    void waitingTooLongForASlotIsBusy() {
        TestSettings settings = new TestSettings();
        settings.concurrency = 1;
        settings.queueTimeout = Duration.ofMillis(300);
        start(settings);
        run("result = 0");
        CompletableFuture<ExecutionResult> first = sandbox.execute(
                        "s1", sales, "import time\ntime.sleep(2)\nresult = 1")
                .subscribeAsCompletionStage();
        ProblemException busy =
                assertInstanceOf(ProblemException.class, catchFailure(sandbox.execute("s1", sales, "result = 2")));
        assertEquals(ProblemType.WORKER_BUSY, busy.type());
        assertEquals(1, first.join().result().asInt());
        assertEquals(0, sandbox.status().queued());
        assertEquals(0, sandbox.status().running());
    }

    @Test
    void cancellingAnExecutionKillsItsProcessAndFreesItsSlot() throws Exception {
        TestSettings settings = new TestSettings();
        settings.concurrency = 1;
        settings.timeout = Duration.ofSeconds(30);
        start(settings);
        run("result = 0");
        Cancellable running = sandbox.execute("s1", sales, "while True:\n    pass")
                .subscribe()
                .with(r -> {}, e -> {});
        await().atMost(WAIT).until(() -> sandbox.status().running() == 1);
        // the child running the loop, among the zygote's children (the others are spares waiting for a job)
        ProcessHandle looping = await().atMost(WAIT)
                .alias("no execution process used a second of processor time")
                .until(
                        () -> executionProcesses().stream()
                                .filter(p -> p.info()
                                                .totalCpuDuration()
                                                .orElse(Duration.ZERO)
                                                .compareTo(Duration.ofSeconds(1))
                                        >= 0)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        running.cancel();
        await().atMost(Duration.ofSeconds(10))
                .alias("the execution process outlived its caller")
                .until(() -> !looping.isAlive());
        assertEquals(5, run("result = 5").result().asInt());
        assertEquals(1, count("sandbox.kills"));
    }

    @Test
    void aSupervisorKilledMidExecutionFailsThatCallerAndTheStandbyTakesOver() throws InterruptedException {
        TestSettings settings = new TestSettings();
        settings.standby = true;
        start(settings);
        run("result = 0");
        awaitStandby();
        long pid = sandbox.status().pid();
        long killed = killMidExecution();
        assertEquals(17, run("result = int(df['amount'].sum())").result().asInt());
        Duration recovery = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(recovery.compareTo(Duration.ofSeconds(2)) < 0, "recovered in " + recovery);
        assertNotEquals(pid, sandbox.status().pid());
        assertEquals(1, sandbox.status().restarts());
        assertEquals(1, count("sandbox.restarts"));
        awaitStandby();
        assertTrue(sandbox.status().standbyReady());
    }

    @Test
    void withoutAStandbyTheSupervisorIsStartedAgain() {
        start(new TestSettings());
        run("result = 0");
        long pid = sandbox.status().pid();
        long killed = killMidExecution();
        assertEquals(17, run("result = int(df['amount'].sum())").result().asInt());
        Duration recovery = Duration.ofNanos(System.nanoTime() - killed);
        assertTrue(recovery.compareTo(Duration.ofSeconds(10)) < 0, "recovered in " + recovery);
        assertNotEquals(pid, sandbox.status().pid());
        assertFalse(sandbox.status().standbyReady());
    }

    @Test
    void aStandbyThatDiesIsReplacedWithoutDisturbingTheWorker() throws InterruptedException {
        TestSettings settings = new TestSettings();
        settings.standby = true;
        start(settings);
        awaitStandby();
        long serving = sandbox.status().pid();
        ProcessHandle standby = ProcessHandle.current()
                .children()
                .filter(p ->
                        p.pid() != serving && p.info().commandLine().orElse("").contains("supervisor.py"))
                .findFirst()
                .orElseThrow();
        standby.destroyForcibly();
        assertEquals(3, run("result = len(df)").result().asInt());
        assertEquals(serving, sandbox.status().pid());
        assertEquals(0, sandbox.status().restarts());
        awaitStandby();
    }

    /** Kills the supervisor while an execution runs; checks what its caller gets; returns when it was killed. */
    private long killMidExecution() {
        long pid = sandbox.status().pid();
        CompletableFuture<ExecutionResult> victim = sandbox.execute(
                        "s1", sales, "import time\ntime.sleep(10)\nresult = 1")
                .subscribeAsCompletionStage();
        executionProcesses();
        long killed = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        ProblemException failure = assertInstanceOf(
                ProblemException.class, catchFailure(Uni.createFrom().completionStage(victim)));
        assertTrue(Duration.ofNanos(System.nanoTime() - killed).compareTo(Duration.ofSeconds(1)) < 0);
        assertEquals(ProblemType.WORKER_UNAVAILABLE, failure.type());
        assertTrue(failure.getMessage().contains("stopped while running this request"), failure.getMessage());
        return killed;
    }

    private void awaitStandby() {
        await().atMost(WAIT)
                .alias("no standby worker")
                .until(() -> sandbox.status().standbyReady());
    }

    @Test
    void codeThatCorruptsItsOwnResultGetsAnInvalidResult() {
        start(new TestSettings());
        ExecutionResult result = run("o = pd.io.common.os\nfor fd in range(3, 30):\n    try:\n"
                + "        o.write(fd, b'\\xff' * 1000)\n    except Exception:\n        pass\nresult = 1");
        assertEquals(Outcome.ERROR, result.outcome());
        assertEquals("InvalidResult", result.error().type());
        assertEquals(6, run("result = 6").result().asInt());
    }

    @Test
    void datasetsThatCannotBeLoadedAreUnprocessable() {
        start(new TestSettings());
        List<DatasetSource> wrong = List.of(new DatasetSource(
                "sales",
                true,
                "f-sales",
                "h-other",
                List.of("city", "amount", "when", "paid"),
                Map.of("city", "int64", "amount", "float64", "paid", "bool"),
                List.of("when"),
                3,
                List.of("")));
        ProblemException failure =
                assertInstanceOf(ProblemException.class, catchFailure(sandbox.execute("s2", wrong, "result = 1")));
        assertEquals(ProblemType.UNPROCESSABLE, failure.type());
        assertTrue(failure.getMessage().contains("could not be loaded"), failure.getMessage());
        assertTrue(failure.getMessage().contains("ValueError"), failure.getMessage());
    }

    @Test
    void evictedSessionsAreLoadedAgain() {
        start(new TestSettings());
        run("result = 1");
        sandbox.evict("s1");
        assertEquals(0, sandbox.status().cachedSessions());
        assertEquals(3, run("result = len(df)").result().asInt());
        assertEquals(2, files.materialised.get());
        assertEquals(2, count("sandbox.cache.misses"));
    }

    @Test
    void idleSessionsLeaveTheWorkerAndComeBackOnTheirNextQuestion() throws InterruptedException {
        TestSettings settings = new TestSettings();
        settings.idleTimeout = Duration.ofSeconds(1);
        start(settings);
        run("result = 1");
        assertEquals(1, sandbox.status().cachedSessions());
        await().atMost(WAIT)
                .alias("the idle session's memory was given back")
                .until(() -> sandbox.status().cachedSessions() == 0);
        assertEquals(3, run("result = len(df)").result().asInt());
        assertEquals(2, count("sandbox.cache.misses"));
    }

    @Test
    void codeWithoutDatasetsRunsToo() {
        start(new TestSettings());
        ExecutionResult result = sandbox.execute("empty", List.of(), "result = [df is None, len(dfs), 2 ** 10]")
                .await()
                .atMost(WAIT);
        assertEquals("[true,0,1024]", result.result().toString());
    }

    @Test
    void refusesEmptyOrTooLongCodeBeforeRunningIt() {
        TestSettings settings = new TestSettings();
        settings.maxCodeSize = 10;
        start(settings);
        assertEquals(
                ProblemType.UNPROCESSABLE,
                ((ProblemException) catchFailure(sandbox.execute("s1", sales, "result = 12345678"))).type());
        assertEquals(
                ProblemType.UNPROCESSABLE, ((ProblemException) catchFailure(sandbox.execute("s1", sales, " "))).type());
    }

    @Test
    void aDisabledWorkerIsUnavailable() {
        TestSettings settings = new TestSettings();
        settings.enabled = false;
        sandbox = new Sandbox(settings.build(), files, registry);
        sandbox.start();
        assertEquals(
                ProblemType.WORKER_UNAVAILABLE,
                ((ProblemException) catchFailure(sandbox.execute("s1", sales, "result = 1"))).type());
        assertEquals(
                ProblemType.WORKER_UNAVAILABLE,
                ((ProblemException) catchFailure(sandbox.prefetch("s1", sales))).type());
        assertFalse(sandbox.status().enabled());
        assertFalse(new WorkerHealth(sandbox).critical());
        assertEquals("UP", new WorkerReadiness(sandbox).call().getStatus().name());
    }

    @Test
    void aWorkerThatCannotStartIsUnavailable() {
        TestSettings settings = new TestSettings();
        settings.python = "/nonexistent/python3";
        settings.startTimeout = Duration.ofMillis(500);
        sandbox = new Sandbox(settings.build(), files, registry);
        sandbox.start();
        ProblemException failure =
                assertInstanceOf(ProblemException.class, catchFailure(sandbox.execute("s1", sales, "result = 1")));
        assertEquals(ProblemType.WORKER_UNAVAILABLE, failure.type());
        assertTrue(failure.getMessage().contains("did not become ready"), failure.getMessage());
        assertTrue(failure.getMessage().contains("could not be started"), failure.getMessage());
        ComponentHealth health = new WorkerHealth(sandbox).check().await().atMost(WAIT);
        assertFalse(health.isUp());
        assertEquals("DOWN", new WorkerReadiness(sandbox).call().getStatus().name());
    }

    @Test
    void healthReportsTheWorker() {
        start(new TestSettings());
        run("result = 1");
        ComponentHealth health = new WorkerHealth(sandbox).check().await().atMost(WAIT);
        assertTrue(health.isUp());
        assertEquals(1, health.details().get("cached_sessions"));
        assertEquals("1.5.3", health.details().get("pandas"));
        assertTrue(health.details().containsKey("pid"));
        assertEquals(false, health.details().get("standby_ready"));
        assertEquals("UP", new WorkerReadiness(sandbox).call().getStatus().name());
    }

    @Test
    void theWorkerSeesNoneOfTheServicesEnvironment() throws IOException {
        start(new TestSettings());
        String environ = Files.readString(Path.of("/proc/" + sandbox.status().pid() + "/environ"));
        Set<String> names = java.util.Arrays.stream(environ.split("\0"))
                .filter(s -> !s.isEmpty())
                .map(s -> s.substring(0, s.indexOf('=')))
                .collect(Collectors.toSet());
        assertEquals(
                Set.of(
                        "PATH",
                        "LANG",
                        "LC_ALL",
                        "HOME",
                        "OPENBLAS_NUM_THREADS",
                        "OMP_NUM_THREADS",
                        "MKL_NUM_THREADS",
                        "MPLBACKEND",
                        "MPLCONFIGDIR"),
                names);
    }

    /** The execution processes (children of the session processes) once there is one. */
    private Set<ProcessHandle> executionProcesses() {
        return await().atMost(WAIT)
                .alias("no execution process appeared")
                .until(
                        () -> ProcessHandle.of(sandbox.status().pid())
                                .orElseThrow()
                                .children()
                                .flatMap(ProcessHandle::children)
                                .collect(Collectors.toSet()),
                        processes -> !processes.isEmpty());
    }

    static Throwable catchFailure(Uni<?> uni) {
        try {
            uni.await().atMost(WAIT);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
