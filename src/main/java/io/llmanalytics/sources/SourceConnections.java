package io.llmanalytics.sources;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Opens connections to a source: drivers instantiated directly (no {@code DriverManager} scan, native-image friendly),
 * connect and socket timeouts, and a session that can only read: a read-only transaction (PostgreSQL, MariaDB), a
 * read-only file (SQLite), and a server-side statement timeout. Blocking: call on a worker thread.
 */
public final class SourceConnections {

    private SourceConnections() {}

    /** A read-only connection to {@code source}, in a transaction (autocommit off) so that cursors stream. */
    public static Connection open(Source source, Duration connectTimeout, Duration queryTimeout) throws SQLException {
        Properties props = new Properties();
        source.username().ifPresent(u -> props.setProperty("user", u));
        source.secret().ifPresent(p -> props.setProperty("password", p));
        long connectSeconds = Math.max(1, connectTimeout.toSeconds());
        Connection connection = switch (source.kind()) {
            case POSTGRESQL -> {
                props.setProperty("connectTimeout", Long.toString(connectSeconds));
                props.setProperty("loginTimeout", Long.toString(connectSeconds));
                props.setProperty("ApplicationName", "llm-analytics");
                props.setProperty("readOnly", "true");
                props.setProperty("readOnlyMode", "always");
                yield new org.postgresql.Driver().connect(source.url(), props);
            }
            case MARIADB -> {
                props.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
                props.setProperty("useCursorFetch", "true");
                // BOOLEAN is TINYINT(1) in MariaDB/MySQL: pandas (through PyMySQL) reads it as int64, so do we
                props.setProperty("tinyInt1isBit", "false");
                props.setProperty("allowLocalInfile", "false");
                props.setProperty("allowMultiQueries", "false");
                String url = source.url().replaceFirst("(?i)^jdbc:mysql:", "jdbc:mariadb:");
                yield new org.mariadb.jdbc.Driver().connect(url, props);
            }
            case SQLITE -> {
                SQLiteConfig config = new SQLiteConfig();
                config.setReadOnly(true);
                config.setOpenMode(SQLiteOpenMode.READONLY);
                config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
                Properties all = config.toProperties();
                all.putAll(props);
                yield new JDBC().connect(source.url(), all);
            }
        };
        if (connection == null) {
            throw new SQLException("The driver did not accept the URL", "08001");
        }
        try {
            readOnlySession(connection, source.kind(), queryTimeout);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static void readOnlySession(Connection connection, SourceKind kind, Duration queryTimeout)
            throws SQLException {
        long millis = Math.max(1, queryTimeout.toMillis());
        switch (kind) {
            case POSTGRESQL -> {
                try (Statement s = connection.createStatement()) {
                    s.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
                    s.execute("SET statement_timeout = " + millis);
                    s.execute("SET TIME ZONE 'UTC'");
                }
                connection.setAutoCommit(false);
                connection.setReadOnly(true);
            }
            case MARIADB -> {
                try (Statement s = connection.createStatement()) {
                    s.execute("SET SESSION TRANSACTION READ ONLY");
                    s.execute("SET time_zone = '+00:00'");
                    try {
                        s.execute("SET SESSION max_statement_time = " + (millis / 1000.0));
                    } catch (SQLException mysql) {
                        // MySQL has no max_statement_time; its SELECT limit is max_execution_time (milliseconds)
                        s.execute("SET SESSION max_execution_time = " + millis);
                    }
                }
                connection.setAutoCommit(false);
                try (Statement s = connection.createStatement()) {
                    s.execute("START TRANSACTION READ ONLY");
                }
            }
            case SQLITE -> {
                connection.setAutoCommit(false);
                try (Statement s = connection.createStatement()) {
                    s.execute("PRAGMA query_only = ON");
                }
            }
        }
    }
}
