package io.llmanalytics.sources;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the database servers of {@link SourcesProfile} and names them to the service as an operator would, in the
 * environment's spelling ({@code SOURCES_<NAME>_URL}, {@code _USERNAME}, {@code _PASSWORD}, {@code _PASSWORD_FILE},
 * {@code _TABLES}), so that the catalog's parsing of real setting names is what the tests go through.
 */
public class SourceServersResource implements QuarkusTestResourceLifecycleManager {

    /** A query whose rows come one per millisecond from {@code doomed}, for the server-stopped-mid-import test. */
    public static final String SLOW_ROWS = "SELECT slow_row(g) AS n FROM generate_series(1, 200000) g";

    private SourceServers servers;

    @Override
    public Map<String, String> start() {
        TestDatabase postgres = DatabaseServers.startWithFixtures(TestDatabase.Kind.POSTGRESQL);
        TestDatabase doomed;
        Path workDir;
        Path passwordFile;
        try {
            doomed = TestDatabase.start(TestDatabase.Kind.POSTGRESQL);
            doomed.sql(
                    "CREATE FUNCTION slow_row(n integer) RETURNS integer VOLATILE LANGUAGE sql AS"
                            + " $$ SELECT pg_sleep(0.001); SELECT n $$;\n",
                    null);
            workDir = Files.createTempDirectory("sources-api-work");
            passwordFile = Files.createTempFile("warehouse-password", ".txt");
            Files.writeString(passwordFile, TestDatabase.PASSWORD + "\n");
            passwordFile.toFile().deleteOnExit();
        } catch (IOException e) {
            postgres.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            postgres.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        servers = new SourceServers(postgres, doomed, workDir);
        Map<String, String> config = new HashMap<>();
        config.put("SOURCES_WAREHOUSE_URL", postgres.jdbcUrl());
        config.put("SOURCES_WAREHOUSE_USERNAME", TestDatabase.USER);
        config.put("SOURCES_WAREHOUSE_PASSWORD_FILE", passwordFile.toString());
        config.put("SOURCES_LIMITED_URL", postgres.jdbcUrl());
        config.put("SOURCES_LIMITED_USERNAME", TestDatabase.USER);
        config.put("SOURCES_LIMITED_PASSWORD", TestDatabase.PASSWORD);
        config.put("SOURCES_LIMITED_TABLES", "public.orders, public.types");
        config.put("SOURCES_BADCREDS_URL", postgres.jdbcUrl());
        config.put("SOURCES_BADCREDS_USERNAME", TestDatabase.USER);
        config.put("SOURCES_BADCREDS_PASSWORD", "wrong-password-q7");
        config.put("SOURCES_DOOMED_URL", doomed.jdbcUrl());
        config.put("SOURCES_DOOMED_USERNAME", TestDatabase.USER);
        config.put("SOURCES_DOOMED_PASSWORD", TestDatabase.PASSWORD);
        try {
            config.put("SOURCES_NOWHERE_URL", "jdbc:postgresql://127.0.0.1:" + TestDatabase.freePort() + "/shop");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.put("SOURCES_NOWHERE_USERNAME", "nobody-user-x");
        config.put("SOURCES_NOWHERE_PASSWORD", "nobody-pw-x");
        config.put("upload.work-dir", workDir.toString());
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(
                servers, new TestInjector.AnnotatedAndMatchesType(SourceServers.Inject.class, SourceServers.class));
    }

    @Override
    public void stop() {
        if (servers != null) {
            servers.postgres().close();
            servers.doomed().close();
        }
    }
}
