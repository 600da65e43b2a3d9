package io.llmanalytics.upload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a reader sends the bytes of a canonical file as it writes them, so that the file is stored while it is
 * written rather than after the parse. The reader writes the file too, as always: a sink is a copy on the way.
 */
public interface CanonicalSink {

    /** The next bytes of the file, in order, from one thread at a time; may wait while the store is behind. */
    void write(byte[] bytes, int from, int length) throws IOException;

    /** The file is whole, exactly as written to its path. */
    void complete() throws IOException;

    /** The file will not be completed (its reader stepped aside, or failed): what was sent of it goes. */
    void abandon();

    /** Opens the sinks of one ingest. */
    @FunctionalInterface
    interface Opener {

        /** No sink: files are stored once parsed. */
        Opener NONE = (canonical, dataset) -> Optional.empty();

        /** A sink for the canonical file at {@code canonical} of the dataset named {@code dataset}, or none. */
        Optional<CanonicalSink> open(Path canonical, String dataset);
    }
}
