package io.llmanalytics.sources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The throwaway PostgreSQL and MariaDB servers the source tests share: started once per test run with their fixtures
 * loaded (src/test/resources/sources/*.sql), stopped and deleted when the run ends (JUnit's root store closes them).
 */
public final class DatabaseServers implements BeforeAllCallback {

    private static final Map<TestDatabase.Kind, TestDatabase> STARTED = new ConcurrentHashMap<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        for (TestDatabase.Kind kind : TestDatabase.Kind.values()) {
            get(context, kind);
        }
    }

    /** The shared server of {@code kind} (started by the extension). */
    public static TestDatabase server(TestDatabase.Kind kind) {
        return STARTED.get(kind);
    }

    private record Started(TestDatabase db) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            db.close();
        }
    }

    /** The shared server of {@code kind}, started with the fixtures on first use. */
    public static TestDatabase get(ExtensionContext context, TestDatabase.Kind kind) {
        TestDatabase db = context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent("sources-db-" + kind, k -> new Started(startWithFixtures(kind)), Started.class)
                .db();
        STARTED.put(kind, db);
        return db;
    }

    /** A server of {@code kind} with the fixtures, owned by the caller (close it). */
    public static TestDatabase startWithFixtures(TestDatabase.Kind kind) {
        try {
            TestDatabase db = TestDatabase.start(kind);
            String file = kind == TestDatabase.Kind.POSTGRESQL ? "postgresql.sql" : "mariadb.sql";
            try (InputStream in = DatabaseServers.class.getResourceAsStream("/sources/" + file)) {
                db.sql(new String(in.readAllBytes(), StandardCharsets.UTF_8), null);
            }
            return db;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start " + kind + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
