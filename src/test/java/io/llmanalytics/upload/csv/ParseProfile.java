package io.llmanalytics.upload.csv;

import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.SchemaBuilder;
import io.llmanalytics.upload.TableLimits;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times the layers of CSV ingestion on one file in CPU time of this thread (stable on a busy machine): record
 * splitting alone, splitting plus OpenCSV field parsing, and the whole pass with schema and profile. A development
 * tool: {@code java -cp <test classpath> io.llmanalytics.upload.csv.ParseProfile file.csv}.
 */
public final class ParseProfile {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        TableLimits limits = new TableLimits(10000, 1_000_000);
        ProfileOptions options = new ProfileOptions(5, 10000, 5, Long.MAX_VALUE);
        for (int round = 0; round < 5; round++) {
            long t = cpu();
            try (InputStream in = Files.newInputStream(file)) {
                RecordSplitter splitter = new RecordSplitter(in, Dialect.CANONICAL, Integer.MAX_VALUE);
                while (splitter.next() != null) {
                    // count nothing: the split alone
                }
            }
            long split = cpu() - t;
            t = cpu();
            try (CsvRecords records = new CsvRecords(file, Dialect.CANONICAL, limits)) {
                records.header();
                while (records.next() != null) {
                    // fields parsed by OpenCSV
                }
            }
            long parse = cpu() - t;
            t = cpu();
            try (CsvRecords records = new CsvRecords(file, Dialect.CANONICAL, limits)) {
                SchemaBuilder builder = new SchemaBuilder(Arrays.asList(records.header()), options);
                String[] r;
                while ((r = records.next()) != null) {
                    builder.add(r);
                }
                builder.build("x");
            }
            long all = cpu() - t;
            System.out.printf(
                    "cpu ms: split %d, split+fields %d, whole pass %d%n",
                    split / 1_000_000, parse / 1_000_000, all / 1_000_000);
        }
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
