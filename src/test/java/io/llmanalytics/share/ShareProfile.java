package io.llmanalytics.share;

import io.llmanalytics.testing.llm.LlmStubProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
        config.put("access.limits.analyses-per-minute", "0");
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

    private static Path sqliteFile() {
        try {
            Path file = Files.createTempFile("share-source", ".db");
            file.toFile().deleteOnExit();
            Files.delete(file);
            try (Connection c = new JDBC().connect("jdbc:sqlite:" + file, new Properties());
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE sales (region TEXT, amount REAL)");
                s.execute("INSERT INTO sales VALUES ('North', 10.5), ('South', 20.0)");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
