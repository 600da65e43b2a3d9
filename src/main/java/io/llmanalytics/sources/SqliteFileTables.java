package io.llmanalytics.sources;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * An uploaded SQLite database file: every table and view with at least one row becomes a dataset, read through the
 * same result-set path as database sources. The file is opened read-only ({@code mode=ro}, {@code query_only},
 * {@code trusted_schema} off, no extension loading, no URI tricks); a file SQLite calls corrupt or not a database is a
 * 400, and reading all of it is bounded by {@link #TIME_LIMIT} (a hostile view can be slow). Blocking.
 */
public final class SqliteFileTables {

    /** Longest the reading of one uploaded database may take. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(60);

    private final ProfileOptions options;
    private final TableLimits limits;

    public SqliteFileTables(ProfileOptions options, TableLimits limits) {
        this.options = options;
        this.limits = limits;
    }

    /** The datasets of {@code file}; {@code canonical} gives each dataset's canonical file, in order. */
    public List<ParsedTable> read(Path file, Function<String, Path> canonical) throws IOException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        config.enableLoadExtension(false);
        Properties props = config.toProperties();
        long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
        AtomicBoolean timedOut = new AtomicBoolean();
        // a plain path (no "file:" URI): query parameters in a name cannot change how the file is opened
        try (Connection c = new JDBC().connect("jdbc:sqlite:" + file.toAbsolutePath(), props)) {
            if (c == null) {
                throw unreadable("the SQLite driver refused it");
            }
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA trusted_schema = OFF");
                s.execute("PRAGMA query_only = ON");
            }
            List<String> names = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT name FROM sqlite_schema"
                                    + " WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            List<ParsedTable> tables = new ArrayList<>();
            for (String name : names) {
                try (Statement s = c.createStatement()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    CompletableFuture<Void> watchdog = CompletableFuture.runAsync(
                            () -> {
                                timedOut.set(true);
                                try {
                                    s.cancel();
                                } catch (SQLException ignored) {
                                    // the deadline check between rows ends the read anyway
                                }
                            },
                            CompletableFuture.delayedExecutor(Math.max(1, left), TimeUnit.MILLISECONDS));
                    try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + name.replace("\"", "\"\"") + "\"")) {
                        Path out = canonical.apply(name);
                        ParsedTable table = ResultSetTable.read(
                                rs,
                                SourceKind.SQLITE,
                                name,
                                out,
                                options,
                                limits,
                                () -> timedOut.get() || System.nanoTime() > deadline);
                        if (table.schema().rows() > 0
                                && !table.schema().columns().isEmpty()) {
                            tables.add(table);
                        } else {
                            Files.deleteIfExists(out);
                        }
                    } finally {
                        watchdog.cancel(false);
                    }
                }
            }
            if (tables.isEmpty()) {
                throw new ProblemException(
                        ProblemType.EMPTY_FILE, "The SQLite database has no table or view with at least one row.");
            }
            return tables;
        } catch (SQLException e) {
            if (timedOut.get() || System.nanoTime() > deadline) {
                throw new ProblemException(
                        ProblemType.UNPROCESSABLE,
                        "Reading the SQLite database took longer than " + TIME_LIMIT.toSeconds()
                                + " s (a slow view?); upload a smaller database or one without it.");
            }
            throw unreadable(e.getMessage());
        }
    }

    private static ProblemException unreadable(String reason) {
        String text = reason == null ? "" : reason.replaceAll("\\s+", " ");
        // the driver's message names the temporary file's path: keep only SQLite's own reason
        text = text.replaceAll("(/[^\\s)]+)", "").strip();
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return new ProblemException(
                ProblemType.UNREADABLE_FILE,
                "The SQLite database cannot be read (" + text
                        + "): it may be corrupt, truncated or encrypted. Check it with 'sqlite3 file.db \"PRAGMA integrity_check\"'.");
    }
}
