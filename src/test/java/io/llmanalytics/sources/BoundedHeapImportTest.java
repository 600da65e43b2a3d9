package io.llmanalytics.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 1 M-row, 10-column table streams from each database into a dataset in a JVM whose heap is capped at 48 MB: the
 * rows alone as Java strings would take several hundred MB, so this passes only if the driver streams from a cursor
 * (fetch size) and the schema pass keeps bounded state.
 */
@ExtendWith(DatabaseServers.class)
class BoundedHeapImportTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void millionRowsStreamWithin48MbOfHeap(TestDatabase.Kind kind) throws Exception {
        TestDatabase db = DatabaseServers.server(kind);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx48m",
                        "-XX:+ExitOnOutOfMemoryError",
                        "-cp",
                        System.getProperty("java.class.path"),
                        BoundedHeapImport.class.getName(),
                        db.jdbcUrl(),
                        dir.resolve("big.csv").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(170, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("rows=1000000 columns=10"), out);
        System.out.println(kind + ": "
                + out.lines().filter(l -> l.startsWith("rows=")).findFirst().orElse(out));
    }
}
