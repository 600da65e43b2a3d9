package io.llmanalytics.share;

import io.llmanalytics.testing.llm.LlmStubProfile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.sqlite.JDBC;

/**
 * Share links and dashboards (one profile, one application start): API keys (Alice and Bob), the language-model stub,
 * the HTTP access log on (to check that share tokens never reach it), and a SQLite source {@code lite} whose table
 * {@code sales} the dashboard tests change and refresh.
 */
public class ShareProfile extends LlmStubProfile {

    public static final String ALICE = "alice-share-0123456789abcdef";
    public static final String BOB = "bob-share-0123456789abcdef";

    /** The SQLite file of the {@code lite} source: table {@code sales(region, amount)}. */
    public static final Path SQLITE = sqliteFile();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("access.api-keys", ALICE + "," + BOB);
        config.put("access.limits.uploads-per-minute", "0");
        // a limit far above what the tests ask, so that the limits (and the share links' limit) are kept in the store
        config.put("access.limits.analyses-per-minute", "100000");
        config.put("quarkus.http.access-log.enabled", "true");
        config.put("SOURCES_LITE_URL", "jdbc:sqlite:" + SQLITE);
        config.put("dashboard.max-pins", "3");
        return config;
    }

    /** Runs SQL on the source's file (the tests' own connection, not the service's). */
    public static void sql(String... statements) {
        try (Connection c = new JDBC().connect("jdbc:sqlite:" + SQLITE, new Properties());
                Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One file per test JVM, the same whichever class loader initialises this class (Quarkus loads test profiles in its
     * own as well as the test's): the table is created once, the tests set its rows.
     */
    private static Path sqliteFile() {
        Path file = Path.of(
                System.getProperty("java.io.tmpdir"),
                "share-source-" + ProcessHandle.current().pid() + ".db");
        file.toFile().deleteOnExit();
        try (Connection c = new JDBC().connect("jdbc:sqlite:" + file, new Properties());
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS sales (region TEXT, amount REAL)");
            return file;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
