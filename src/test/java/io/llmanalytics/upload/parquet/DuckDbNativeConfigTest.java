package io.llmanalytics.upload.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;

/**
 * A native executable must carry DuckDB's JNI library, which the driver extracts from its jar at run time: the
 * resource patterns in application.properties must match the Linux libraries the DuckDB jar really holds (amd64 and
 * arm64), and nothing else of that jar's size. Only the configuration is checked here; no native executable can be
 * linked on these machines (see DESIGN.md).
 */
class DuckDbNativeConfigTest {

    @Test
    void theNativeResourceIncludesMatchDuckDbsLinuxLibrariesInItsJar() throws Exception {
        Properties props = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            props.load(in);
        }
        List<PathMatcher> includes = Arrays.stream(
                        props.getProperty("quarkus.native.resources.includes").split(","))
                .map(String::strip)
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
        Path jar = Path.of(DuckDBDriver.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<String> libraries = new ArrayList<>();
        List<String> included = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            file.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.startsWith("libduckdb_java"))
                    .forEach(name -> {
                        libraries.add(name);
                        if (includes.stream().anyMatch(m -> m.matches(Path.of(name)))) {
                            included.add(name);
                        }
                    });
        }
        assertTrue(libraries.contains("libduckdb_java.so_linux_amd64"), libraries.toString());
        assertEquals(
                List.of("libduckdb_java.so_linux_amd64", "libduckdb_java.so_linux_arm64"),
                included.stream().sorted().toList(),
                "the Linux libraries, not the macOS and Windows ones");
    }
}
