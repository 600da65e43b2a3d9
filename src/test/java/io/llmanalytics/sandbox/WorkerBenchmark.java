package io.llmanalytics.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmanalytics.dataset.DatasetSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * bench/worker.sh: the worker end to end through {@link Sandbox} against the real CPython worker, with plain pandas
 * (bench/plain_pandas.py) measured in the same run as the baseline. Not a test; prints figures.
 */
public final class WorkerBenchmark {

    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final List<String> SMALL_CODE = List.of(
            "result = df['revenue'].sum()",
            "result = df.groupby('category')['revenue'].mean()",
            "result = df.head()",
            "result = df[df['quantity'] > 5].groupby(['region', 'category'])['revenue'].sum().unstack()");
    private static final String GROUPBY = "result = df.groupby('category')['revenue'].sum()";
    private static final List<Long> PAUSES = List.of(0L, 100L);

    private final Path out;
    private final Path plainScript;
    private final LocalDatasetFiles files = new LocalDatasetFiles();

    private final boolean overheadOnly;

    private WorkerBenchmark(Path out, Path plainScript, boolean overheadOnly) {
        this.out = out;
        this.plainScript = plainScript;
        this.overheadOnly = overheadOnly;
    }

    /** Arguments: the datasets' directory, bench/plain_pandas.py, and optionally "overhead" (section [1] only). */
    public static void main(String[] args) throws Exception {
        new WorkerBenchmark(Path.of(args[0]), Path.of(args[1]), args.length > 2 && "overhead".equals(args[2])).run();
        System.exit(0);
    }

    private void run() throws Exception {
        List<DatasetSource> small = List.of(source("small", "sales-200k"));
        List<DatasetSource> big = List.of(source("big", "sales-2m"));
        System.out.printf(
                "machine: %d processors; worker concurrency %d%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors());

        TestSettings production = new TestSettings();
        production.standby = true;
        Sandbox sandbox = start(production);
        try {
            overhead(sandbox, small);
            if (overheadOnly) {
                return;
            }
            bigGroupby(sandbox, big);
            concurrent(sandbox, small, production.concurrency);
            crashRecovery(sandbox, small);
        } finally {
            sandbox.stop();
        }
        // Whether more slots than processors would serve light executions better (children share the zygote's pages
        // copy-on-write): the same 20 concurrent executions with twice as many slots, in the same run
        TestSettings doubled = new TestSettings();
        doubled.concurrency = 2 * Runtime.getRuntime().availableProcessors();
        Sandbox wide = start(doubled);
        try {
            wide.prefetch("small", small).await().atMost(WAIT);
            concurrent(wide, small, doubled.concurrency);
        } finally {
            wide.stop();
        }
        TestSettings one = new TestSettings();
        one.concurrency = 1;
        one.timeout = Duration.ofSeconds(2);
        Sandbox single = start(one);
        try {
            timeoutFreesSlot(single, small);
        } finally {
            single.stop();
        }
    }

    private void overhead(Sandbox sandbox, List<DatasetSource> small) throws Exception {
        long started = System.nanoTime();
        sandbox.prefetch("small", small).await().atMost(WAIT);
        System.out.printf(
                "%n[1] Per-execution overhead on a cached 200,000-row dataset (load took %d ms)%n"
                        + "(zygote: hand-off to the child until the zygote has its result, as the zygote reports it; "
                        + "outside: the rest, i.e. Java request encoding, supervisor relays, frame decoding, result "
                        + "mapping; relay: of outside, a round trip Java -> supervisor -> Java measured right after "
                        + "(a stats request: Java encoding, writer and reader threads, the pipes, the supervisor's "
                        + "loop, decoding); rest: outside minus relay, i.e. the hop supervisor <-> zygote, the "
                        + "zygote's request handling and any wait for a fork, the Java API's layers (limiter, "
                        + "mapping, thread hand-offs))%n",
                millis(System.nanoTime() - started));
        int runs = 50;
        try (Baseline plain = new Baseline("sales-200k")) {
            for (long pause : PAUSES) {
                System.out.printf(
                        "%s%n%-90s %10s %10s %10s %10s %10s %10s %10s%n",
                        mode(pause), "code", "worker", "pandas", "overhead", "zygote", "outside", "relay", "rest");
                List<Double> overheads = new ArrayList<>();
                for (String code : SMALL_CODE) {
                    for (int i = 0; i < 3; i++) {
                        check(sandbox.execute("small", small, code).await().atMost(WAIT));
                    }
                    List<Double> pandasTimes = new ArrayList<>();
                    List<Double> outside = new ArrayList<>();
                    List<Double> relay = new ArrayList<>();
                    double worker = median(
                            timed(sandbox, small, "small", code, runs, pause, plain, pandasTimes, outside, relay));
                    double pandas = median(pandasTimes);
                    overheads.add(worker - pandas);
                    System.out.printf(
                            "%-90s %8.1fms %8.1fms %8.1fms %8.1fms %8.1fms %8.1fms %8.1fms%n",
                            code,
                            worker,
                            pandas,
                            worker - pandas,
                            worker - median(outside),
                            median(outside),
                            median(relay),
                            median(outside) - median(relay));
                }
                System.out.printf(
                        "median overhead %.1f ms (target <= 12 ms): %s%n",
                        median(overheads), median(overheads) <= 12 ? "PASS" : "FAIL");
            }
        }
    }

    private void bigGroupby(Sandbox sandbox, List<DatasetSource> big) throws Exception {
        long started = System.nanoTime();
        sandbox.prefetch("big", big).await().atMost(WAIT);
        long load = millis(System.nanoTime() - started);
        System.out.printf(
                "%n[2] %s on the 2.3 M-row sales dataset (%d MB CSV; load took %d ms, %d MB cached)%n",
                GROUPBY,
                Files.size(out.resolve("sales-2m.csv")) / 1_000_000,
                load,
                sandbox.status().cachedBytes() / 1_000_000);
        int runs = 15;
        JsonNode answer =
                check(sandbox.execute("big", big, GROUPBY).await().atMost(WAIT)).result();
        try (Baseline plain = new Baseline("sales-2m")) {
            for (long pause : PAUSES) {
                List<Double> pandasTimes = new ArrayList<>();
                List<Double> outside = new ArrayList<>();
                List<Double> relay = new ArrayList<>();
                double worker =
                        median(timed(sandbox, big, "big", GROUPBY, runs, pause, plain, pandasTimes, outside, relay));
                double pandas = median(pandasTimes);
                System.out.printf(
                        "%s: worker %.1f ms (outside the zygote %.1f ms, of which relay %.1f ms), plain pandas "
                                + "%.1f ms: %.2fx (target <= 1.1x): %s%n",
                        mode(pause),
                        worker,
                        median(outside),
                        median(relay),
                        pandas,
                        worker / pandas,
                        worker / pandas <= 1.1 ? "PASS" : "FAIL");
            }
        }
        System.out.printf("answer: %s%n", answer.path("data"));
        sandbox.evict("big");
    }

    /** Worker runs interleaved with baseline runs, so that both see the same machine. */
    private static List<Double> timed(
            Sandbox sandbox,
            List<DatasetSource> datasets,
            String session,
            String code,
            int runs,
            long pauseMillis,
            Baseline plain,
            List<Double> plainTimes,
            List<Double> outsideTimes,
            List<Double> relayTimes)
            throws Exception {
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            Thread.sleep(pauseMillis);
            long t = System.nanoTime();
            ExecutionResult result =
                    check(sandbox.execute(session, datasets, code).await().atMost(WAIT));
            double elapsed = (System.nanoTime() - t) / 1e6;
            times.add(elapsed);
            outsideTimes.add(elapsed - result.duration().toNanos() / 1e6);
            relayTimes.add(relay(sandbox));
            plainTimes.add(plain.run(code) * 1000);
        }
        return times;
    }

    /** A round trip Java -> supervisor -> Java (a stats request, which no zygote handles), in ms. */
    private static double relay(Sandbox sandbox) {
        WorkerConnection worker = sandbox.worker();
        long id = worker.nextId();
        long t = System.nanoTime();
        worker.request(new WorkerRequest.Stats(id), id, Duration.ofSeconds(30))
                .await()
                .atMost(WAIT);
        return (System.nanoTime() - t) / 1e6;
    }

    /** bench/plain_pandas.py, kept running with the dataset loaded. */
    private final class Baseline implements AutoCloseable {
        private final Process process;
        private final java.io.BufferedReader in;
        private final java.io.Writer outToProcess;

        Baseline(String name) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(
                            "/usr/bin/python3",
                            plainScript.toString(),
                            out.resolve(name + ".csv").toString(),
                            out.resolve(name + ".json").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("OPENBLAS_NUM_THREADS", "1");
            process = builder.start();
            in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            outToProcess = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            if (!"ready".equals(in.readLine())) {
                throw new IllegalStateException("the plain pandas baseline did not start");
            }
        }

        double run(String code) throws IOException {
            outToProcess.write(
                    FrameCodec.JSON.createObjectNode().put("code", code).put("runs", 1) + "\n");
            outToProcess.flush();
            return FrameCodec.JSON.readTree(in.readLine()).get(0).asDouble();
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    private static String mode(long pause) {
        return pause == 0
                ? "back to back"
                : "paced, " + pause + " ms between executions (as between the questions of a session)";
    }

    private void concurrent(Sandbox sandbox, List<DatasetSource> small, int slots) {
        System.out.printf(
                "%n[3] 20 concurrent executions (groupby on 200,000 rows) on %d processors, %d slots%n",
                Runtime.getRuntime().availableProcessors(), slots);
        long started = System.nanoTime();
        List<CompletableFuture<Double>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            calls.add(sandbox.execute("small", small, SMALL_CODE.get(3))
                    .map(r -> {
                        check(r);
                        return (System.nanoTime() - t) / 1e6;
                    })
                    .subscribeAsCompletionStage());
        }
        int failures = 0;
        List<Double> latencies = new ArrayList<>();
        for (CompletableFuture<Double> call : calls) {
            try {
                latencies.add(call.get(5, TimeUnit.MINUTES));
            } catch (Exception e) {
                failures++;
                System.out.println("failure: " + e.getMessage());
            }
        }
        Collections.sort(latencies);
        System.out.printf(
                "%d/20 succeeded, %d failures in %d ms; latency median %.0f ms, max %.0f ms: %s%n",
                latencies.size(),
                failures,
                millis(System.nanoTime() - started),
                median(latencies),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
                failures == 0 ? "PASS" : "FAIL");
    }

    private void crashRecovery(Sandbox sandbox, List<DatasetSource> small) throws Exception {
        System.out.printf("%n[4] Supervisor killed in the middle of an execution%n");
        CompletableFuture<ExecutionResult> victim = sandbox.execute(
                        "small", small, "import time\ntime.sleep(10)\nresult = 1")
                .subscribeAsCompletionStage();
        Thread.sleep(300);
        long killed = System.nanoTime();
        ProcessHandle.of(sandbox.status().pid()).orElseThrow().destroyForcibly();
        String error;
        try {
            victim.get(1, TimeUnit.MINUTES);
            error = "no error!";
        } catch (Exception e) {
            error = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        }
        long failedAfter = millis(System.nanoTime() - killed);
        ExecutionResult result = check(
                sandbox.execute("small", small, "result = len(df)").await().atMost(WAIT));
        long recovered = millis(System.nanoTime() - killed);
        System.out.printf("caller told after %d ms: %s%n", failedAfter, error);
        System.out.printf(
                "working again (datasets reloaded, %s rows) %d ms after the kill (target <= 2000 ms): %s%n",
                result.result(), recovered, recovered <= 2000 ? "PASS" : "FAIL");
    }

    private void timeoutFreesSlot(Sandbox sandbox, List<DatasetSource> small) {
        System.out.printf("%n[5] A timed-out execution frees its slot (1 slot, deadline 2 s)%n");
        check(sandbox.execute("small", small, "result = 0").await().atMost(WAIT));
        long started = System.nanoTime();
        CompletableFuture<Long> looping = sandbox.execute("small", small, "while True:\n    pass")
                .map(r -> millis(System.nanoTime() - started))
                .subscribeAsCompletionStage();
        CompletableFuture<ExecutionResult> queued =
                sandbox.execute("small", small, "result = 1").subscribeAsCompletionStage();
        long timedOut = looping.join();
        ExecutionResult next = queued.join();
        long done = millis(System.nanoTime() - started);
        long freed = done - next.duration().toMillis();
        System.out.printf(
                "timeout reported after %d ms; the queued execution finished after %d ms (ran %d ms): slot "
                        + "freed after about %d ms (target <= 2500 ms): %s%n",
                timedOut, done, next.duration().toMillis(), freed, freed <= 2500 ? "PASS" : "FAIL");
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Sandbox start(TestSettings settings) {
        Sandbox sandbox = new Sandbox(settings.build(), files, new SimpleMeterRegistry());
        sandbox.start();
        sandbox.awaitReady().await().atMost(WAIT);
        return sandbox;
    }

    private DatasetSource source(String id, String name) throws IOException {
        Path csv = out.resolve(name + ".csv");
        files.put(id, csv);
        JsonNode spec = FrameCodec.JSON.readTree(out.resolve(name + ".json").toFile());
        List<String> columns = new ArrayList<>();
        spec.path("columns").forEach(c -> columns.add(c.asText()));
        Map<String, String> dtypes = new LinkedHashMap<>();
        spec.path("dtypes")
                .fields()
                .forEachRemaining(e -> dtypes.put(e.getKey(), e.getValue().asText()));
        List<String> dates = new ArrayList<>();
        spec.path("date_columns").forEach(c -> dates.add(c.asText()));
        return new DatasetSource(
                "sales", true, id, id, columns, dtypes, dates, spec.path("rows").asLong(), List.of(""));
    }

    private static ExecutionResult check(ExecutionResult result) {
        if (!result.succeeded()) {
            throw new IllegalStateException("execution failed: " + result.error());
        }
        return result;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
