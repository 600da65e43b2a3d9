package io.llmanalytics.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.testing.SseEvents;
import java.io.IOException;
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
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load client of bench/load.sh and LoadIT: {@code clients} concurrent users, each uploading small CSVs and asking
 * questions over Server-Sent Events for {@code duration}; then every {@code done} received is looked up in its
 * session's history. A user moves to a new session (a new upload) before its session's history would slide past its
 * first entries ({@code historyLimit}, the service's MAX_CONVERSATION_HISTORY), so every answer must still be there.
 * Memory: the service's RSS (and its worker processes') sampled before, during and after a settle period.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.llmanalytics.load.LoadDriver \
 *     --base http://127.0.0.1:8080 --clients 50 --duration 120s --settle 30s --pid 12345
 * </pre>
 */
public final class LoadDriver {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] QUESTIONS = {
        "How many rows are there?",
        "What is the total of units?",
        "Which region sells most?",
        "Average price per product?",
        "Describe the table."
    };

    /**
     * @param base the service's base URL
     * @param clients concurrent users
     * @param duration how long users keep starting operations
     * @param settle how long to wait after the load before the last memory sample
     * @param pid the service's process id for memory figures, or empty
     * @param uploadShare share of operations that are uploads (besides the ones a full history forces)
     * @param historyLimit analyses per session before a user moves to a new session
     */
    public record Options(
            URI base,
            int clients,
            Duration duration,
            Duration settle,
            OptionalLong pid,
            double uploadShare,
            int historyLimit) {}

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final LoadFigures figures = new LoadFigures();
    private final Map<String, List<String>> answered = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong rows = new AtomicLong();

    public LoadDriver(Options options) {
        this.options = options;
    }

    /** Runs the load and the checks; returns the figures. */
    public LoadFigures run() throws Exception {
        MemorySampler memory = new MemorySampler(options.pid());
        memory.liveHeapBefore = liveHeapMb();
        memory.sample("before");
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                memory.sample("during");
                sleep(500);
            }
        });
        long start = System.nanoTime();
        List<Thread> users = new ArrayList<>();
        for (int i = 0; i < options.clients(); i++) {
            int n = i;
            users.add(Thread.ofVirtual()
                    .start(() -> user(n, start + options.duration().toNanos())));
        }
        for (Thread user : users) {
            user.join();
        }
        figures.wall(Duration.ofNanos(System.nanoTime() - start));
        running.set(false);
        sampler.join();
        memory.sample("during");
        checkHistory();
        long settleEnd = System.nanoTime() + options.settle().toNanos();
        while (System.nanoTime() < settleEnd) {
            sleep(1000);
        }
        memory.sample("after");
        memory.liveHeapAfter = liveHeapMb();
        figures.memory(memory);
        return figures;
    }

    /**
     * The service's heap in use right after a full collection (jcmd GC.run, then the heap gauges of /q/metrics): live
     * memory, which must come back to its baseline after the load; -1 when it cannot be measured.
     */
    private long liveHeapMb() {
        if (options.pid().isEmpty()) {
            return -1;
        }
        try {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process gc = new ProcessBuilder(
                            jcmd.toString(), String.valueOf(options.pid().getAsLong()), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
                return -1;
            }
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(options.base().resolve("/q/metrics"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            double bytes = 0;
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return Math.round(bytes / (1 << 20));
        } catch (Exception e) {
            return -1;
        }
    }

    private void user(int n, long deadline) {
        String session = null;
        int asked = 0;
        while (System.nanoTime() < deadline) {
            try {
                if (session == null
                        || asked >= options.historyLimit()
                        || ThreadLocalRandom.current().nextDouble() < options.uploadShare()) {
                    String created = upload(n);
                    if (created != null) {
                        session = created;
                        asked = 0;
                    } else {
                        sleep(200);
                    }
                } else {
                    analyze(session);
                    asked++;
                }
            } catch (Exception e) {
                figures.transportError(e);
                sleep(200);
            }
        }
    }

    private String upload(int user) throws Exception {
        String boundary = "----load" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"load-" + user
                + ".csv\"\r\nContent-Type: text/csv\r\n\r\n" + csv() + "\r\n--" + boundary + "--\r\n";
        HttpRequest request = HttpRequest.newBuilder(options.base().resolve("/api/session/create"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        long t = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        figures.http(
                "upload",
                response.statusCode(),
                response.headers().firstValue("Retry-After").isPresent(),
                problemType(response),
                System.nanoTime() - t);
        return response.statusCode() == 201
                ? JSON.readTree(response.body()).path("session_id").asText()
                : null;
    }

    private void analyze(String session) throws Exception {
        String question = QUESTIONS[ThreadLocalRandom.current().nextInt(QUESTIONS.length)];
        HttpRequest request = HttpRequest.newBuilder(options.base().resolve("/api/session/" + session + "/analyze"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"" + question + "\"}"))
                .build();
        long t = System.nanoTime();
        HttpResponse<String> response =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.MINUTES);
        long nanos = System.nanoTime() - t;
        boolean retryAfter = response.headers().firstValue("Retry-After").isPresent();
        if (response.statusCode() != 200) {
            figures.http("analyze", response.statusCode(), retryAfter, problemType(response), nanos);
            return;
        }
        SseEvents events = SseEvents.parse(response.body());
        SseEvents.Event last = events.events().isEmpty() ? null : events.last();
        if (last != null && last.name().equals("done")) {
            figures.http("analyze", 200, false, nanos);
            answered.computeIfAbsent(session, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(last.data().path("conversation_id").asText());
        } else if (last != null && last.name().equals("error")) {
            figures.streamError(
                    last.data().path("status").asInt(), last.data().path("type").asText(), nanos);
        } else {
            figures.streamError(0, "stream ended without done or error", nanos);
        }
    }

    /** The {@code type} of a problem document answered, else empty. */
    private static String problemType(HttpResponse<String> response) {
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return "";
        }
        try {
            return JSON.readTree(response.body()).path("type").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    private void checkHistory() throws Exception {
        for (Map.Entry<String, List<String>> e : answered.entrySet()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(options.base().resolve("/api/session/" + e.getKey()))
                            .timeout(Duration.ofSeconds(60))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> stored = new ArrayList<>();
            if (response.statusCode() == 200) {
                for (JsonNode entry : JSON.readTree(response.body()).path("history")) {
                    stored.add(entry.path("id").asText());
                }
            }
            List<String> done;
            synchronized (e.getValue()) {
                done = List.copyOf(e.getValue());
            }
            figures.history(
                    done.size(),
                    done.stream().filter(id -> !stored.contains(id)).count());
        }
    }

    private String csv() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder csv = new StringBuilder("date,region,product,units,price\n");
        String[] regions = {"North", "South", "East", "West"};
        String[] products = {"Desk", "Chair", "Lamp", "Shelf", "Sofa"};
        int n = 50 + random.nextInt(150);
        for (int i = 0; i < n; i++) {
            csv.append("2024-")
                    .append(String.format("%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28)))
                    .append(',')
                    .append(regions[random.nextInt(4)])
                    .append(',')
                    .append(products[random.nextInt(5)])
                    .append(',')
                    .append(1 + random.nextInt(20))
                    .append(',')
                    .append(String.format("%.2f", 5 + random.nextDouble() * 500))
                    .append('\n');
        }
        rows.addAndGet(n);
        return csv.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** RSS of the service's JVM and PSS of its descendants (the worker processes), from /proc. */
    static final class MemorySampler {
        private final OptionalLong pid;
        long beforeJvm;
        long beforeWorker;
        long peakJvm;
        long peakWorker;
        long afterJvm;
        long afterWorker;
        long liveHeapBefore = -1;
        long liveHeapAfter = -1;

        MemorySampler(OptionalLong pid) {
            this.pid = pid;
        }

        synchronized void sample(String phase) {
            if (pid.isEmpty()) {
                return;
            }
            long jvm = memoryKb(pid.getAsLong(), "VmRSS:", "status");
            // forked workers share most of their pages: their proportional share (PSS) adds up, their RSS does not
            long worker = ProcessHandle.of(pid.getAsLong())
                    .map(p -> p.descendants()
                            .mapToLong(d -> memoryKb(d.pid(), "Pss:", "smaps_rollup"))
                            .sum())
                    .orElse(0L);
            switch (phase) {
                case "before" -> {
                    beforeJvm = jvm;
                    beforeWorker = worker;
                }
                case "after" -> {
                    afterJvm = jvm;
                    afterWorker = worker;
                }
                default -> {}
            }
            peakJvm = Math.max(peakJvm, jvm);
            peakWorker = Math.max(peakWorker, worker);
        }

        boolean measured() {
            return pid.isPresent();
        }

        static long memoryKb(long pid, String field, String file) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), file))) {
                    if (line.startsWith(field)) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended between listing and reading
            }
            return 0;
        }
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create("http://127.0.0.1:8080");
        int clients = 50;
        Duration duration = Duration.ofMinutes(2);
        Duration settle = Duration.ofSeconds(30);
        OptionalLong pid = OptionalLong.empty();
        double uploadShare = 0.2;
        int historyLimit = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--base" -> base = URI.create(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--duration" -> duration = duration(args[++i]);
                case "--settle" -> settle = duration(args[++i]);
                case "--pid" -> pid = OptionalLong.of(Long.parseLong(args[++i]));
                case "--upload-share" -> uploadShare = Double.parseDouble(args[++i]);
                case "--history-limit" -> historyLimit = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i] + "; options: --base URL --clients N --duration D"
                            + " --settle D --pid PID --upload-share F --history-limit N");
                    System.exit(2);
                }
            }
        }
        Options options = new Options(base, clients, duration, settle, pid, uploadShare, historyLimit);
        System.out.printf("load: %d clients for %d s against %s%n", clients, duration.toSeconds(), base);
        LoadFigures figures = new LoadDriver(options).run();
        System.out.println(figures.text());
        System.exit(figures.unexpected() == 0 && figures.lost() == 0 ? 0 : 1);
    }

    static Duration duration(String text) {
        String t = text.trim();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        if (t.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(t));
    }
}
