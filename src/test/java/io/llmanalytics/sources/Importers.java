package io.llmanalytics.sources;

import io.llmanalytics.upload.UploadConfig;
import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds a {@link SourceImporter} outside Quarkus, with the service's default upload limits. */
final class Importers {

    private Importers() {}

    static Source source(String name, TestDatabase db, String password, List<String> tables) {
        return new Source(
                name,
                SourceKind.of(db.jdbcUrl()).orElseThrow(),
                db.jdbcUrl(),
                Optional.of(TestDatabase.USER),
                Optional.of(password),
                Optional.empty(),
                tables);
    }

    static SourceImporter importer(Duration queryTimeout, long maxCells, Source... sources) {
        Map<String, Source> byName = new java.util.HashMap<>();
        for (Source s : sources) {
            byName.put(s.name(), s);
        }
        // dynamic proxies, not classes: Quarkus' build would treat an implementing class in the test sources (with
        // the interface's constraint annotations) as a bean to intercept
        Map<String, Object> values = Map.of(
                "queryTimeout",
                queryTimeout,
                "connectTimeout",
                Duration.ofSeconds(5),
                "fetchSize",
                2000,
                "maxSize",
                new MemorySize(java.math.BigInteger.valueOf(100L << 20)),
                "maxCells",
                maxCells,
                "sampleRows",
                5,
                "maxColumns",
                1000,
                "maxCellChars",
                1 << 20,
                "distinctExactBound",
                10_000,
                "topValues",
                5);
        SourcesConfig config = proxy(SourcesConfig.class, values);
        UploadConfig upload = proxy(UploadConfig.class, values);
        return new SourceImporter(new SourceCatalog(byName), config, upload);
    }

    private static <T> T proxy(Class<T> type, Map<String, Object> values) {
        return type.cast(java.lang.reflect.Proxy.newProxyInstance(
                type.getClassLoader(),
                new Class<?>[] {type},
                (self, method, args) -> method.getName().equals("workDir")
                        ? Optional.empty()
                        : method.getName().equals("toString") ? type.getSimpleName() : values.get(method.getName())));
    }
}
