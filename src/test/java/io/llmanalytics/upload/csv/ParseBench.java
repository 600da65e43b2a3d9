package io.llmanalytics.upload.csv;

import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.SchemaBuilder;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import java.io.BufferedReader;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    private static final TableLimits LIMITS = new TableLimits(10000, 1_000_000);
    private static final ProfileOptions OPTIONS = new ProfileOptions(5, 10000, 5, 100_000_000L);

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path work = Files.createTempDirectory("parse-bench");
        List<String> stages = List.of("read bytes", "split records", "split fields", "profile pass", "read (whole)");
        long[][] times = new long[stages.size()][rounds];
        String canonical = "?";
        for (int round = 0; round <= rounds; round++) {
            long[] t = new long[stages.size()];
            t[0] = time(() -> readBytes(file));
            t[1] = time(() -> splitRecords(file));
            t[2] = time(() -> splitFields(file));
            t[3] = time(() -> profile(file));
            Path out = work.resolve("canonical.csv");
            ParsedTable[] table = new ParsedTable[1];
            t[4] = time(() -> table[0] = new CsvTableReader(OPTIONS, LIMITS).read(file, "bench", out));
            canonical = table[0].canonical() == null ? "yes (no rewrite)" : "no (rewritten)";
            Files.deleteIfExists(out);
            if (round > 0) {
                for (int s = 0; s < stages.size(); s++) {
                    times[s][round - 1] = t[s];
                }
            }
        }
        System.out.printf("file %s (%.1f MB), canonical: %s%n", file, Files.size(file) / 1e6, canonical);
        for (int s = 0; s < stages.size(); s++) {
            System.out.printf(
                    "  %-14s %7.0f ms (cumulative stage, median of %d)%n", stages.get(s), median(times[s]), rounds);
        }
        System.out.printf("java_read_ms=%.0f%n", median(times[4]));
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
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
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
