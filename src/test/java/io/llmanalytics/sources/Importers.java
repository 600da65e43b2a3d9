package io.llmanalytics.sources;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.llmanalytics.upload.UploadConfig;
import io.quarkus.runtime.configuration.MemorySize;

/** Builds a {@link SourceImporter} outside Quarkus, with the service's default upload limits. */
final class Importers {

    private Importers() {
    }

    static Source source(String name, TestDatabase db, String password, List<String> tables) {
        return new Source(name, SourceKind.of(db.jdbcUrl()).orElseThrow(), db.jdbcUrl(), Optional.of(TestDatabase.USER),
                Optional.of(password), Optional.empty(), tables);
    }

    static SourceImporter importer(Duration queryTimeout, long maxCells, Source... sources) {
        Map<String, Source> byName = new java.util.HashMap<>();
        for (Source s : sources) {
            byName.put(s.name(), s);
        }
        SourcesConfig config = new SourcesConfig() {
            public Duration queryTimeout() {
                return queryTimeout;
            }

            public Duration connectTimeout() {
                return Duration.ofSeconds(5);
            }

            public int fetchSize() {
                return 2000;
            }
        };
        UploadConfig upload = new UploadConfig() {
            public MemorySize maxSize() {
                return new MemorySize(java.math.BigInteger.valueOf(100L << 20));
            }

            public long maxCells() {
                return maxCells;
            }

            public int sampleRows() {
                return 5;
            }

            public int maxColumns() {
                return 1000;
            }

            public int maxCellChars() {
                return 1 << 20;
            }

            public int distinctExactBound() {
                return 10_000;
            }

            public int topValues() {
                return 5;
            }

            public Optional<Path> workDir() {
                return Optional.empty();
            }
        };
        return new SourceImporter(new SourceCatalog(byName), config, upload);
    }
}
