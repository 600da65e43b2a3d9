package io.llmanalytics.dataset;

import io.smallrye.mutiny.Uni;
import java.nio.file.Path;

/** Gives the worker local copies of canonical dataset files, from wherever they are stored. */
public interface DatasetFiles {

    /**
     * Writes the canonical CSV of {@code source} to a new temporary file and returns its path; the caller deletes it
     * once loaded.
     */
    Uni<Path> materialise(DatasetSource source);
}
