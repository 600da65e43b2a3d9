package io.llmanalytics.validation;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The validator's benchmark (run by bench/validator.sh, not by the test suite): start-up and memory of the pool, and
 * the latency of checking a typical 20-line snippet on a warm pool, with one and with two concurrent callers. The
 * baseline printed next to it (CPython running the same policy on the same snippet) is measured by the script in
 * the same run.
 */
public final class ValidatorBenchmark {

    /** A typical generated snippet: 20 lines of pandas, numpy and matplotlib. */
    static final String SNIPPET = """
            import numpy as np

            # Monthly revenue by category, growth, and a chart
            sales = df.copy()
            sales['date'] = pd.to_datetime(sales['date'], errors='coerce')
            sales = sales.dropna(subset=['date', 'revenue'])
            sales['month'] = sales['date'].dt.to_period('M').dt.to_timestamp()
            monthly = (sales.groupby(['month', 'category'])['revenue']
                       .sum()
                       .unstack(fill_value=0)
                       .sort_index())
            growth = monthly.pct_change().replace([np.inf, -np.inf], np.nan)
            top = monthly.sum().sort_values(ascending=False).head(5).index.tolist()
            summary = pd.DataFrame({'total': monthly[top].sum(), 'mean_growth': growth[top].mean().round(3)})
            fig, ax = plt.subplots(figsize=(10, 5))
            monthly[top].plot(ax=ax, marker='o')
            ax.set_title(f"Monthly revenue, top {len(top)} categories")
            ax.set_ylabel('Revenue')
            result = summary.sort_values('total', ascending=False)
            """;

    private ValidatorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int poolSize = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.printf(
                "snippet: %d lines; rounds per caller: %d; pool: %d contexts%n",
                SNIPPET.strip().split("\n").length, rounds, poolSize);
        if (args.length > 2) {
            Files.writeString(Path.of(args[2]), SNIPPET); // for the CPython baseline of the script
        }

        long rssBefore = rssKb();
        long start = System.nanoTime();
        try (ValidatorPool pool = new ValidatorPool(
                PolicySources.load(),
                ValidatorPool.Settings.of(poolSize, 1024, Duration.ofMinutes(5), Duration.ofSeconds(10)))) {
            pool.start();
            AtomicLong first = new AtomicLong(-1);
            await("the pool is ready")
                    .atMost(Duration.ofMinutes(10))
                    .pollInterval(Duration.ofMillis(10))
                    .failFast("the pool failed", () -> pool.status().state() == ValidatorPool.State.FAILED)
                    .until(() -> {
                        if (first.get() < 0 && pool.status().ready() > 0) {
                            first.set((System.nanoTime() - start) / 1_000_000);
                        }
                        return pool.ready();
                    });
            long firstMillis = first.get();
            long readyMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(
                    "first context warm after %d ms (engine + context + %d warm-up checks)%n",
                    firstMillis < 0 ? readyMillis : firstMillis, 15);
            long rssReady = rssKb();
            if (!pool.submit(SNIPPET).get(1, TimeUnit.MINUTES).isEmpty()) {
                throw new IllegalStateException("the benchmark snippet should be accepted");
            }
            System.out.printf(
                    "pool ready (engine + %d warm context, elastic up to %d): %d ms, RSS +%d MB%n",
                    pool.status().ready(), poolSize, readyMillis, (rssReady - rssBefore) / 1024);

            // warm the measuring path itself (the JVM compiles GraalPy's interpreter as it goes) with two callers,
            // which grows the pool to its maximum (checks queue behind the busy context), then measure
            long growStart = System.nanoTime();
            while (pool.status().ready() < poolSize && System.nanoTime() - growStart < TimeUnit.MINUTES.toNanos(5)) {
                run(pool, poolSize, Math.max(50, rounds / 10));
            }
            System.out.printf(
                    "pool grown under two callers: %d of %d contexts warm after %d ms%n",
                    pool.status().ready(), poolSize, (System.nanoTime() - growStart) / 1_000_000);
            run(pool, 2, rounds);
            long rssGrown = rssKb();
            double[] single = run(pool, 1, rounds);
            print("1 caller ", single);
            double[] two = run(pool, 2, rounds);
            print("2 callers", two);
            double[] cpu = cpuPerCheck(pool, rounds / 2);
            Arrays.sort(cpu);
            System.out.printf("CPU time per check (validator thread): median %.2f ms%n", percentile(cpu, 0.5));
            long rssAfter = rssKb();
            String released = ValidatorPool.releaseWarmUpMemory();
            long rssSettled = rssKb();
            System.out.printf(
                    "RSS after a GC and a native heap trim (%s): %d MB (+%d MB)%n",
                    released, rssSettled / 1024, (rssSettled - rssBefore) / 1024);
            System.out.printf(
                    "RSS: JVM before pool %d MB, pool ready with one context %d MB (+%d MB), grown to %d contexts %d MB"
                            + " (+%d MB), after %d checks %d MB (+%d MB)%n",
                    rssBefore / 1024,
                    rssReady / 1024,
                    (rssReady - rssBefore) / 1024,
                    pool.status().contexts(),
                    rssGrown / 1024,
                    (rssGrown - rssBefore) / 1024,
                    pool.status().checks(),
                    rssAfter / 1024,
                    (rssAfter - rssBefore) / 1024);
            System.out.printf(
                    "RESULT median_1=%.2f p99_1=%.2f median_2=%.2f p99_2=%.2f first_ms=%d ready_ms=%d rss_added_mb=%d"
                            + " rss_settled_mb=%d rss_one_context_mb=%d%n",
                    percentile(single, 0.5),
                    percentile(single, 0.99),
                    percentile(two, 0.5),
                    percentile(two, 0.99),
                    firstMillis < 0 ? readyMillis : firstMillis,
                    readyMillis,
                    (rssAfter - rssBefore) / 1024,
                    (rssSettled - rssBefore) / 1024,
                    (rssReady - rssBefore) / 1024);
        }
    }

    /** Each caller submits one check at a time and waits for it; returns every latency in ms, sorted. */
    private static double[] run(ValidatorPool pool, int callers, int rounds) throws InterruptedException {
        List<double[]> all = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            double[] latencies = new double[rounds];
            all.add(latencies);
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < rounds; i++) {
                        long t = System.nanoTime();
                        pool.submit(SNIPPET).get(1, TimeUnit.MINUTES);
                        latencies[i] = (System.nanoTime() - t) / 1e6;
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        double[] merged = all.stream().flatMapToDouble(Arrays::stream).toArray();
        Arrays.sort(merged);
        return merged;
    }

    /** CPU time of the validator threads per check: the cost of a check without the waiting a busy machine adds. */
    private static double[] cpuPerCheck(ValidatorPool pool, int rounds) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] cpu = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long before = validatorCpu(threads);
            pool.submit(SNIPPET).get(1, TimeUnit.MINUTES);
            cpu[i] = (validatorCpu(threads) - before) / 1e6;
        }
        return cpu;
    }

    private static long validatorCpu(ThreadMXBean threads) {
        long total = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("validator-") && !thread.getName().contains("watchdog")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.threadId()));
            }
        }
        return total;
    }

    private static void print(String label, double[] sorted) {
        System.out.printf(
                "%s: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)%n",
                label,
                percentile(sorted, 0.5),
                percentile(sorted, 0.9),
                percentile(sorted, 0.99),
                sorted[sorted.length - 1],
                sorted.length);
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
