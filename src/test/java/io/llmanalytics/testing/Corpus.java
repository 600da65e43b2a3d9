package io.llmanalytics.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared test corpus (real public data; used by tests, never shipped). */
public final class Corpus {

    private Corpus() {}

    public static Path root() {
        Path relative = Path.of("..", "shared", "corpus").toAbsolutePath().normalize();
        if (Files.isDirectory(relative)) {
            return relative;
        }
        Path absolute = Path.of("/work/shared/corpus");
        if (Files.isDirectory(absolute)) {
            return absolute;
        }
        throw new IllegalStateException("The test corpus is not at " + relative + " nor " + absolute);
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }
}
