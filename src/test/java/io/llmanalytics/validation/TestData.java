package io.llmanalytics.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test resources and the shared corpus. */
final class TestData {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestData() {}

    static JsonNode resourceJson(String name) {
        try (InputStream in = TestData.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared corpus: {@code <repo>/../shared/corpus}, else {@code /work/shared/corpus}. */
    static Path corpus() {
        Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path candidate : new Path[] {
            repo.resolve("../shared/corpus").normalize(),
            repo.resolve("../../shared/corpus").normalize(),
            Path.of("/work/shared/corpus")
        }) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "the shared corpus is missing: expected ../shared/corpus or /work/shared/corpus");
    }
}
