package io.llmanalytics.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** What a load run measured: latencies per operation, statuses, deliberate and unexpected failures, history, memory. */
public final class LoadFigures {

    /** Stream errors that are deliberate refusals (retry later), like an HTTP 503 with Retry-After. */
    private static final List<String> DELIBERATE = List.of("worker-busy", "shutting-down");

    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    private final Map<String, Long> statuses = new TreeMap<>();
    private final Map<String, Long> unexpected = new TreeMap<>();
    private final Map<String, Long> deliberate = new TreeMap<>();
    private long answers;
    private long lost;
    private Duration wall = Duration.ZERO;
    private LoadDriver.MemorySampler memory;

    synchronized void http(String operation, int status, boolean retryAfter, long nanos) {
        http(operation, status, retryAfter, "", nanos);
    }

    /** An HTTP answer; {@code problem}: the type of its problem document when it is one (named in the counts). */
    synchronized void http(String operation, int status, boolean retryAfter, String problem, long nanos) {
        String name = problem.isEmpty() ? "" : " " + problem.substring(problem.lastIndexOf(':') + 1);
        statuses.merge(operation + " " + status + name, 1L, Long::sum);
        if (status < 500) {
            latencies.computeIfAbsent(operation, k -> new ArrayList<>()).add(nanos);
        } else if (status == 503 && retryAfter) {
            deliberate.merge(operation + " HTTP 503 with Retry-After" + name, 1L, Long::sum);
        } else {
            unexpected.merge(operation + " HTTP " + status + name, 1L, Long::sum);
        }
    }

    synchronized void streamError(int status, String type, long nanos) {
        String name = type.substring(type.lastIndexOf(':') + 1);
        statuses.merge("analyze 200 + error event " + status + " " + name, 1L, Long::sum);
        if (status >= 500 && DELIBERATE.contains(name)) {
            deliberate.merge("analyze error event " + status + " " + name, 1L, Long::sum);
        } else if (status >= 500 || status == 0) {
            unexpected.merge("analyze error event " + status + " " + name, 1L, Long::sum);
        } else {
            latencies
                    .computeIfAbsent("analyze (ended with a 4xx problem)", k -> new ArrayList<>())
                    .add(nanos);
        }
    }

    synchronized void transportError(Exception e) {
        unexpected.merge("transport " + e.getClass().getSimpleName(), 1L, Long::sum);
    }

    synchronized void history(long answered, long missing) {
        answers += answered;
        lost += missing;
    }

    synchronized void wall(Duration wall) {
        this.wall = wall;
    }

    synchronized void memory(LoadDriver.MemorySampler memory) {
        this.memory = memory;
    }

    /** 5xx answers other than deliberate 503s, stream errors of status 5xx, and transport failures. */
    public synchronized long unexpected() {
        return unexpected.values().stream().mapToLong(Long::longValue).sum();
    }

    public synchronized long deliberate() {
        return deliberate.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Answers ({@code done}) received that the session's history does not hold at the end. */
    public synchronized long lost() {
        return lost;
    }

    /** Answers ({@code done}) received. */
    public synchronized long answers() {
        return answers;
    }

    public synchronized long completed(String operation) {
        List<Long> l = latencies.get(operation);
        return l == null ? 0 : l.size();
    }

    public synchronized String text() {
        StringBuilder out = new StringBuilder();
        double seconds = Math.max(0.001, wall.toNanos() / 1e9);
        long total = latencies.values().stream().mapToLong(List::size).sum();
        out.append(
                String.format("wall %.1f s, %d operations completed, %.1f ops/s%n", seconds, total, total / seconds));
        out.append(String.format(
                "%-38s %7s %8s %8s %8s %8s%n", "operation", "count", "ops/s", "p50 ms", "p95 ms", "p99 ms"));
        new TreeMap<>(latencies).forEach((op, values) -> {
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            out.append(String.format(
                    "%-38s %7d %8.1f %8.0f %8.0f %8.0f%n",
                    op, sorted.size(), sorted.size() / seconds, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99)));
        });
        out.append("statuses: ").append(statuses).append('\n');
        out.append("deliberate 503s (retry later): ")
                .append(deliberate.isEmpty() ? "0" : deliberate.toString())
                .append('\n');
        out.append("unexpected 5xx / failures: ")
                .append(unexpected.isEmpty() ? "0" : unexpected.toString())
                .append('\n');
        out.append(String.format(
                "history: %d answers received, %d missing from their session's history%n", answers, lost));
        if (memory != null && memory.measured()) {
            out.append(String.format(
                    "RSS service JVM: before %d MB, peak %d MB, after settle %d MB%n",
                    memory.beforeJvm / 1024, memory.peakJvm / 1024, memory.afterJvm / 1024));
            out.append(String.format(
                    "PSS worker processes: before %d MB, peak %d MB, after settle %d MB%n",
                    memory.beforeWorker / 1024, memory.peakWorker / 1024, memory.afterWorker / 1024));
            out.append(String.format(
                    "live heap after a full GC: before %d MB, after settle %d MB%n",
                    memory.liveHeapBefore, memory.liveHeapAfter));
        }
        return out.toString();
    }

    private static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }
}
