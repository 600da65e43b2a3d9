package io.llmanalytics.upload.csv;

import com.sun.management.OperatingSystemMXBean;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.SchemaBuilder;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CSV pass by stage, in wall-clock milliseconds (median of the rounds after a warm-up): read bytes; decode and
 * split records; split fields (OpenCSV); the whole profile pass (classify, infer types, distinct counts, top values,
 * samples, min/max); and the whole {@link CsvTableReader#read} (with the canonical rewrite when the file needs one).
 * Run by {@code bench/parse.sh}: {@code java -cp <test classpath> io.llmanalytics.upload.csv.ParseBench file.csv
 * [rounds]}.
 */
public final class ParseBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final TableLimits LIMITS = new TableLimits(10000, 1_000_000);
    private static final ProfileOptions OPTIONS = new ProfileOptions(5, 10000, 5, 100_000_000L);

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path work = Files.createTempDirectory("parse-bench");
        List<String> stages = List.of("read bytes", "split records", "split fields", "profile pass", "read (whole)");
        long[][] times = new long[stages.size()][rounds];
        long[][] cpu = new long[stages.size()][rounds];
        long[] processCpu = new long[rounds];
        String canonical = "?";
        for (int round = 0; round <= rounds; round++) {
            long[] t = new long[stages.size()];
            long[] c = new long[stages.size()];
            Path out = work.resolve("canonical.csv");
            ParsedTable[] table = new ParsedTable[1];
            List<Body> bodies = List.of(
                    () -> readBytes(file),
                    () -> splitRecords(file),
                    () -> splitFields(file),
                    () -> profile(file),
                    () -> table[0] = new CsvTableReader(OPTIONS, LIMITS).read(file, "bench", out));
            long p = 0;
            for (int s = 0; s < bodies.size(); s++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                p = PROCESS.getProcessCpuTime();
                t[s] = time(bodies.get(s));
                c[s] = THREADS.getCurrentThreadCpuTime() - c0;
                p = PROCESS.getProcessCpuTime() - p;
            }
            if (round > 0) {
                processCpu[round - 1] = p;
            }
            canonical = table[0].canonical() == null ? "yes (no rewrite)" : "no (rewritten)";
            Files.deleteIfExists(out);
            if (round > 0) {
                for (int s = 0; s < stages.size(); s++) {
                    times[s][round - 1] = t[s];
                    cpu[s][round - 1] = c[s];
                }
            }
        }
        System.out.printf(
                "file %s (%.1f MB), canonical: %s; each stage includes the ones above it; medians of %d rounds;"
                        + " 'read (whole)' is CsvTableReader.read, records parsed on a second thread%n",
                file, Files.size(file) / 1e6, canonical, rounds);
        for (int s = 0; s < stages.size(); s++) {
            System.out.printf(
                    "  %-14s wall %6.0f ms   cpu (this thread) %6.0f ms%n",
                    stages.get(s), median(times[s]), median(cpu[s]));
        }
        System.out.printf(
                "  read (whole): cpu of all threads (both pipeline stages, GC, JIT) %.0f ms: profile thread (this one)"
                        + " %.0f ms, the other threads (csv-records parsing, GC, JIT) %.0f ms%n",
                median(processCpu), median(cpu[4]), median(processCpu) - median(cpu[4]));
        System.out.printf(
                "  work of each pipeline thread, from the single-thread stages: records (split fields) %.0f ms cpu,"
                        + " profile (profile pass - split fields) %.0f ms cpu%n",
                median(cpu[2]), median(cpu[3]) - median(cpu[2]));
        System.out.printf("java_read_ms=%.0f%n", median(times[4]));
        System.out.printf("java_read_cpu_ms=%.0f%n", median(cpu[4]));
        System.out.printf("java_read_process_cpu_ms=%.0f%n", median(processCpu));
        Files.deleteIfExists(work);
    }

    interface Body {
        void run() throws Exception;
    }

    private static long time(Body body) throws Exception {
        long t = System.nanoTime();
        body.run();
        return System.nanoTime() - t;
    }

    private static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2] / 1e6;
    }

    private static void readBytes(Path file) throws Exception {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            while (in.read(buffer) > 0) {
                // bytes only
            }
        }
    }

    private static void splitRecords(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            RecordSplitter splitter = new RecordSplitter(in, Dialect.CANONICAL, Integer.MAX_VALUE);
            while (splitter.next() != null) {
                // records only
            }
        }
    }

    private static void splitFields(Path file) throws Exception {
        try (CsvRecords records = new CsvRecords(file, Dialect.CANONICAL, LIMITS)) {
            records.header();
            while (records.next() != null) {
                // fields only
            }
        }
    }

    private static void profile(Path file) throws Exception {
        try (CsvRecords records = new CsvRecords(file, Dialect.CANONICAL, LIMITS)) {
            SchemaBuilder builder = new SchemaBuilder(new ArrayList<>(Arrays.asList(records.header())), OPTIONS);
            String[] r;
            while ((r = records.next()) != null) {
                builder.add(r);
            }
            builder.build("bench");
        }
    }
}
