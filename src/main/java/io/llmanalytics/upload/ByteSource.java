package io.llmanalytics.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** An upload's bytes, read from their start each time they are opened: a whole file, or one still arriving. */
@FunctionalInterface
public interface ByteSource {

    InputStream open() throws IOException;

    static ByteSource of(Path file) {
        return () -> Files.newInputStream(file);
    }
}
