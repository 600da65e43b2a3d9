package io.llmanalytics.sandbox;

import io.llmanalytics.dataset.DatasetFiles;
import io.llmanalytics.dataset.DatasetSource;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dataset store over local files, for tests: a test double of the storage interface (the sessions capability
 * implements it over GridFS). Like the real one, it copies the canonical CSV to a new temporary file per request.
 */
final class LocalDatasetFiles implements DatasetFiles {

    private final Map<String, Path> files = new ConcurrentHashMap<>();
    final AtomicInteger materialised = new AtomicInteger();

    void put(String fileId, Path canonicalCsv) {
        files.put(fileId, canonicalCsv);
    }

    @Override
    public Uni<Path> materialise(DatasetSource source) {
        return Uni.createFrom()
                .item(() -> {
                    Path original = files.get(source.fileId());
                    if (original == null) {
                        throw new IllegalArgumentException("no file " + source.fileId());
                    }
                    try {
                        Path copy = Files.createTempFile("dataset-", ".csv");
                        Files.copy(original, copy, StandardCopyOption.REPLACE_EXISTING);
                        materialised.incrementAndGet();
                        return copy;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
