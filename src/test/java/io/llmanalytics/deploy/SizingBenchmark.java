package io.llmanalytics.deploy;

import static org.awaitility.Awaitility.await;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.llmanalytics.testing.llm.OpenAiStub;
import io.llmanalytics.testing.llm.StubResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Measures the memory the service needs, to size the Kubernetes requests and limits (deploy/README.md): the packaged
 * application runs as in the container (its own JVM flags, temporary files under one directory, the real CPython
 * worker, the project's OpenAI-compatible stub as the model, MongoDB outside the measured process as in a cluster:
 * a wire-compatible server in this harness), idle and under a small load: two uploads (about 9 MB and
 * 100 MB, the upload limit) and concurrent analyses whose code differs every time (no result-cache hits), some drawing
 * a chart. Memory is sampled from /proc every 250 ms for the whole process tree: PSS (proportional set size, shared
 * pages split between the processes sharing them, close to what the pod's cgroup is charged) and RSS.
 *
 * <p>Run by hand: {@code bench/sizing.sh}. Arguments: output directory, application jar, datasets directory,
 * concurrency, analyses per client, then the JVM flags.
 */
public final class SizingBenchmark {

    private static final Pattern KB = Pattern.compile("^(Rss|Pss):\\s+(\\d+) kB", Pattern.MULTILINE);
    private static final String[] CODE = {
        "result = df.groupby('category')['revenue'].agg(['sum', 'mean', 'count']).head(%d)",
        "result = df[df['quantity'] > %d %% 9].groupby('region')['revenue'].describe()",
        "result = df.groupby(['region', 'category'])['quantity'].sum().nlargest(%d)",
        "import matplotlib.pyplot as plt\nax = df.groupby('region')['revenue'].sum().plot(kind='bar')\n"
                + "result = df['price'].quantile(%d / 1000)",
        "result = df.assign(month=df['date'].dt.to_period('M')).groupby('month')['revenue'].sum().tail(%d)",
    };

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final long pid;
    private final Peak peak = new Peak();

    private SizingBenchmark(String base, long pid) {
        this.base = base;
        this.pid = pid;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path jar = Path.of(args[1]);
        Path datasets = Path.of(args[2]);
        int clients = Integer.parseInt(args[3]);
        int perClient = Integer.parseInt(args[4]);
        List<String> jvmFlags = List.of(args).subList(5, args.length);
        Path tmp = out.resolve("tmp");
        Path cwd = out.resolve("cwd");
        Files.createDirectories(tmp);
        Files.createDirectories(cwd);
        MongoServer mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress mongoAddress = mongo.bind();

        AtomicLong n = new AtomicLong();
        try (OpenAiStub stub = OpenAiStub.start()) {
            stub.respond(r -> r.streaming()
                    ? StubResponse.content("The table above answers the question for the rows of the dataset.")
                    : StubResponse.code(CODE[(int) (n.get() % CODE.length)].formatted(n.incrementAndGet() % 90 + 5)));
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmFlags);
            command.add("-Djava.io.tmpdir=" + tmp);
            command.add("-Dpolyglot.engine.userResourceCache=" + tmp.resolve("polyglot-cache"));
            command.add("-jar");
            command.add(jar.toString());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.resolve("app.log").toFile())
                    .directory(cwd.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("LANG"));
            env.put("HOME", "/nonexistent");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("OPENAI_BASE_URL", stub.baseUrl());
            env.put("OPENAI_API_KEY", "sizing");
            env.put("MONGODB_URL", "mongodb://" + mongoAddress.getHostString() + ":" + mongoAddress.getPort());
            long started = System.nanoTime();
            Process app = builder.start();
            try {
                new SizingBenchmark("http://127.0.0.1:" + port, app.pid())
                        .run(started, datasets, clients, perClient, jvmFlags);
            } finally {
                long stopping = System.nanoTime();
                app.destroy();
                boolean stopped = app.waitFor(60, TimeUnit.SECONDS);
                System.out.printf(
                        Locale.ROOT,
                        "shutdown (SIGTERM, nothing in flight): %s%n",
                        stopped ? ms(System.nanoTime() - stopping) + " ms" : "not within 60 s");
                if (!stopped) {
                    app.destroyForcibly();
                }
                mongo.shutdownNow();
                try (Stream<Path> written = Files.walk(cwd)) {
                    List<Path> outside = written.filter(p -> !p.equals(cwd)).toList();
                    System.out.println("files written outside java.io.tmpdir (working directory " + cwd + ", HOME "
                            + "not writable): " + (outside.isEmpty() ? "none" : outside));
                }
            }
        }
    }

    private void run(long started, Path datasets, int clients, int perClient, List<String> flags) throws Exception {
        awaitReady(Duration.ofMinutes(4));
        System.out.printf(
                Locale.ROOT,
                "JVM flags: %s%nready after %d ms (GraalPy contexts warm, worker started)%n",
                String.join(" ", flags),
                ms(System.nanoTime() - started));
        Thread.sleep(15_000);
        Snapshot idle = snapshot();
        System.out.println("\n== idle, 15 s after ready");
        idle.print();
        System.out.printf(Locale.ROOT, "JVM heap used %s MB, committed %s MB%n", heap("used"), heap("committed"));

        Thread sampler = Thread.ofVirtual().start(this::sample);
        Map<String, String> sessions = new LinkedHashMap<>();
        for (String name : List.of("sales-200k.csv", "sales-2m.csv")) {
            Path file = datasets.resolve(name);
            long t = System.nanoTime();
            String id = upload(file);
            System.out.printf(
                    Locale.ROOT, "upload %s (%d MB): %d ms%n", name, Files.size(file) >> 20, ms(System.nanoTime() - t));
            sessions.put(name, id);
        }
        Thread.sleep(5_000);
        Snapshot loaded = snapshot();
        System.out.println("\n== two sessions loaded (prefetched into the worker)");
        loaded.print();

        List<String> ids = List.copyOf(sessions.values());
        AtomicInteger failures = new AtomicInteger();
        List<Long> durations = Collections.synchronizedList(new ArrayList<>());
        long t = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        long s = System.nanoTime();
                        if (!analyze(ids.get((client + i) % ids.size()))) {
                            failures.incrementAndGet();
                        }
                        durations.add(System.nanoTime() - s);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        long wall = System.nanoTime() - t;
        sampler.interrupt();
        List<Long> sorted = durations.stream().sorted().toList();
        System.out.printf(
                Locale.ROOT,
                "%n== load: %d clients x %d analyses in %d ms, %d failed; per analysis p50 %d ms, " + "max %d ms%n",
                clients,
                perClient,
                ms(wall),
                failures.get(),
                ms(sorted.get(sorted.size() / 2)),
                ms(sorted.get(sorted.size() - 1)));
        System.out.println("peak during uploads and analyses (each figure its own maximum):");
        peak.print();
        System.out.printf(Locale.ROOT, "JVM heap used %s MB, committed %s MB (now)%n", heap("used"), heap("committed"));
        Thread.sleep(10_000);
        System.out.println("\n== 10 s after the load");
        snapshot().print();
    }

    private void awaitReady(Duration timeout) {
        await("ready")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                .until(() -> http.send(
                                        HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200);
    }

    private String upload(Path file) throws IOException, InterruptedException {
        String boundary = "sizing" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                        + file.getFileName() + "\"\r\nContent-Type: text/csv\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/session/create"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file),
                        HttpRequest.BodyPublishers.ofByteArray(tail)))
                .timeout(Duration.ofMinutes(5))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"session_id\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        if (response.statusCode() != 201 || !m.find()) {
            throw new IllegalStateException("upload failed: " + response.statusCode() + " " + response.body());
        }
        return m.group(1);
    }

    private boolean analyze(String session) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/session/" + session + "/analyze"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"Summarise revenue by category\"}"))
                .timeout(Duration.ofMinutes(2))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            System.out.println("analysis failed: " + response.statusCode() + " "
                    + response.body().substring(0, Math.min(300, response.body().length())));
            return false;
        }
        return true;
    }

    private String heap(String which) {
        try {
            String metrics = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher m = Pattern.compile(
                            "^jvm_memory_" + which + "_bytes\\{area=\"heap\",id=\"[^\"]+\"} (\\S+)$", Pattern.MULTILINE)
                    .matcher(metrics);
            double sum = 0;
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
            return Long.toString(Math.round(sum / (1 << 20)));
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            peak.add(snapshot());
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Memory by kind of process, in kB. */
    record Snapshot(Map<String, long[]> byKind) {

        long totalPss() {
            return byKind.values().stream().mapToLong(v -> v[0]).sum();
        }

        long totalRss() {
            return byKind.values().stream().mapToLong(v -> v[1]).sum();
        }

        void print() {
            byKind.forEach((kind, v) -> System.out.printf(
                    Locale.ROOT, "  %-28s PSS %6d MB  RSS %6d MB  (%d)%n", kind, v[0] >> 10, v[1] >> 10, v[2]));
            System.out.printf(
                    Locale.ROOT, "  %-28s PSS %6d MB  RSS %6d MB%n", "total", totalPss() >> 10, totalRss() >> 10);
        }
    }

    /** The maxima seen, per kind and in total. */
    static final class Peak {
        private final Map<String, long[]> byKind = new LinkedHashMap<>();
        private long pss;
        private long rss;

        synchronized void add(Snapshot s) {
            s.byKind().forEach((kind, v) -> {
                long[] p = byKind.computeIfAbsent(kind, k -> new long[3]);
                for (int i = 0; i < 3; i++) {
                    p[i] = Math.max(p[i], v[i]);
                }
            });
            pss = Math.max(pss, s.totalPss());
            rss = Math.max(rss, s.totalRss());
        }

        synchronized void print() {
            byKind.forEach((kind, v) -> System.out.printf(
                    Locale.ROOT, "  %-28s PSS %6d MB  RSS %6d MB  (up to %d)%n", kind, v[0] >> 10, v[1] >> 10, v[2]));
            System.out.printf(
                    Locale.ROOT, "  %-28s PSS %6d MB  RSS %6d MB%n", "total (peak of the sum)", pss >> 10, rss >> 10);
        }
    }

    private Snapshot snapshot() {
        Map<String, long[]> byKind = new LinkedHashMap<>();
        ProcessHandle self = ProcessHandle.of(pid).orElseThrow();
        Stream.concat(Stream.of(self), self.descendants()).forEach(p -> {
            long[] mem = memory(p.pid());
            if (mem == null) {
                return;
            }
            long[] sum = byKind.computeIfAbsent(kind(p), k -> new long[3]);
            sum[0] += mem[0];
            sum[1] += mem[1];
            sum[2]++;
        });
        return new Snapshot(byKind);
    }

    private String kind(ProcessHandle p) {
        if (p.pid() == pid) {
            return "JVM (Quarkus + GraalPy)";
        }
        String cmd = p.info().commandLine().orElse("");
        if (cmd.contains("supervisor.py")) {
            return p.parent().map(ProcessHandle::pid).orElse(-1L) == pid
                    ? "worker supervisors"
                    : "worker forks (zygotes, runs)";
        }
        return "other: " + p.info().command().orElse("?");
    }

    private static long[] memory(long pid) {
        try {
            String rollup = Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup"));
            long pss = 0;
            long rss = 0;
            Matcher m = KB.matcher(rollup);
            while (m.find()) {
                if (m.group(1).equals("Pss")) {
                    pss = Long.parseLong(m.group(2));
                } else {
                    rss = Long.parseLong(m.group(2));
                }
            }
            return new long[] {pss, rss};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
