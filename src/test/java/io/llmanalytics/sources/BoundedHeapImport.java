package io.llmanalytics.sources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Imports table {@code big} (1 M rows x 10 columns) in a JVM started with a small heap by
 * {@link BoundedHeapImportTest}: args are the JDBC URL and the output file. Prints the rows and the peak heap used.
 */
public final class BoundedHeapImport {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Source source = new Source(
                "db",
                SourceKind.of(url).orElseThrow(),
                url,
                java.util.Optional.of(TestDatabase.USER),
                java.util.Optional.of(TestDatabase.PASSWORD),
                java.util.Optional.empty(),
                List.of());
        SourceImporter importer = Importers.importer(Duration.ofSeconds(120), 100_000_000L, source);
        SourceImporter.Imported imported =
                importer.importTo(new SourceRequest("db", "big", null, null), Path.of(args[1]));
        long peak = java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed())
                .sum();
        System.out.println("rows=" + imported.table().schema().rows() + " columns="
                + imported.table().schema().columns().size() + " bytes=" + Files.size(Path.of(args[1])) + " peak_heap="
                + peak);
    }
}
