package io.llmanalytics.sources;

import io.llmanalytics.problem.Problem;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.ProfileOptions;
import io.llmanalytics.schema.TooManyCellsException;
import io.llmanalytics.upload.ParsedTable;
import io.llmanalytics.upload.TableLimits;
import io.llmanalytics.upload.UploadConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lists a source's tables and imports a table or a checked query into a canonical dataset, streaming rows from a
 * cursor (PostgreSQL: autocommit off and a fetch size; MariaDB: {@code useCursorFetch}) in a read-only transaction.
 * The whole import is bounded by {@code SOURCES_QUERY_TIMEOUT}: the server's statement timeout, and a watchdog that
 * cancels the statement at the deadline. Blocking: call on a worker thread.
 */
@ApplicationScoped
public class SourceImporter {

    private final SourceCatalog catalog;
    private final SourcesConfig config;
    private final UploadConfig upload;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "source-query-watchdog");
        t.setDaemon(true);
        return t;
    });

    public SourceImporter(SourceCatalog catalog, SourcesConfig config, UploadConfig upload) {
        this.catalog = catalog;
        this.config = config;
        this.upload = upload;
    }

    @PreDestroy
    void stop() {
        watchdog.shutdownNow();
    }

    /** The tables of source {@code name} its user can read and the operator allowed. */
    public List<TableInfo> tables(String name) {
        Source source = catalog.get(name);
        try (Connection c = connect(source)) {
            return SourceTables.list(source, c);
        } catch (SQLException e) {
            throw SourceFailures.of(source, e, false);
        }
    }

    /** An imported dataset and where it came from. */
    public record Imported(ParsedTable table, DatasetOrigin origin) {}

    /** Imports what {@code request} names into {@code canonical} (a file in the caller's work directory). */
    public Imported importTo(SourceRequest request, Path canonical) {
        return importTo(request, canonical, Long.MAX_VALUE);
    }

    /**
     * As above, stopping with a 429 as soon as the canonical file passes {@code maxBytes} (what is left of the
     * caller's stored-bytes quota), so that one import cannot take the caller over it.
     */
    public Imported importTo(SourceRequest request, Path canonical, long maxBytes) {
        if (request == null || request.source() == null || request.source().isBlank()) {
            throw new ProblemException(
                    ProblemType.BAD_REQUEST,
                    "Name the source: {\"source\": \"...\", \"table\":"
                            + " \"schema.table\"} or {\"source\": \"...\", \"query\": \"SELECT ...\"}.");
        }
        boolean hasTable = request.table() != null && !request.table().isBlank();
        boolean hasQuery = request.query() != null && !request.query().isBlank();
        if (hasTable == hasQuery) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "Give either \"table\" or \"query\" (one of them).");
        }
        Source source = catalog.get(request.source());
        SqlGuard.Checked checked = hasQuery ? SqlGuard.check(request.query()) : null;
        Instant started = Instant.now();
        try (Connection c = connect(source)) {
            String defaultSchema = defaultSchema(source, c);
            String sql;
            String name;
            String table = null;
            if (hasTable) {
                TableInfo info = SourceTables.resolve(
                        SourceTables.list(source, c), request.table().strip(), defaultSchema);
                if (info == null) {
                    throw noTable(source, request.table());
                }
                sql = "SELECT * FROM " + SourceTables.quoted(source.kind(), info);
                name = info.table();
                table = info.qualified();
            } else {
                if (!source.tables().isEmpty()) {
                    for (String t : checked.tables()) {
                        String qualified = t.contains(".") ? t : defaultSchema.toLowerCase(Locale.ROOT) + "." + t;
                        if (!source.allows(qualified)) {
                            throw noTable(source, t);
                        }
                    }
                }
                sql = checked.sql();
                name = "query";
            }
            if (request.name() != null && !request.name().isBlank()) {
                name = request.name().strip();
            }
            ParsedTable parsed = run(source, c, sql, name, canonical, started, maxBytes);
            long bytes = Files.size(canonical);
            return new Imported(
                    parsed, new DatasetOrigin(source.name(), table, hasQuery ? checked.sql() : null, started, bytes));
        } catch (SQLException e) {
            throw SourceFailures.of(source, e, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ParsedTable run(
            Source source, Connection c, String sql, String name, Path canonical, Instant started, long maxBytes)
            throws SQLException {
        long deadline = started.toEpochMilli() + config.queryTimeout().toMillis();
        AtomicBoolean timedOut = new AtomicBoolean();
        try (Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            s.setFetchSize(config.fetchSize());
            s.setQueryTimeout((int) Math.max(1, config.queryTimeout().toSeconds()));
            ScheduledFuture<?> cancel = watchdog.schedule(
                    () -> {
                        timedOut.set(true);
                        try {
                            s.cancel();
                        } catch (SQLException | RuntimeException ignored) {
                            // the deadline check between rows ends the import anyway
                        }
                    },
                    Math.max(1, deadline - System.currentTimeMillis()),
                    TimeUnit.MILLISECONDS);
            try (ResultSet rs = s.executeQuery(sql)) {
                ProfileOptions options = new ProfileOptions(
                        upload.sampleRows(), upload.distinctExactBound(), upload.topValues(), upload.maxCells());
                TableLimits limits = new TableLimits(upload.maxColumns(), upload.maxCellChars());
                return ResultSetTable.read(
                        rs,
                        source.kind(),
                        name,
                        canonical,
                        options,
                        limits,
                        () -> timedOut.get() || System.currentTimeMillis() > deadline,
                        maxBytes);
            } catch (SQLException e) {
                throw SourceFailures.of(source, e, timedOut.get() || System.currentTimeMillis() > deadline);
            } finally {
                cancel.cancel(false);
            }
        } catch (ResultSetTable.OverBudget e) {
            throw new ProblemException(Problem.of(
                            ProblemType.QUOTA_EXCEEDED,
                            "The import from"
                                    + " source '" + source.name()
                                    + "' passed what is left of this caller's stored-bytes quota ("
                                    + maxBytes + " bytes, MAX_STORED_BYTES_PER_CALLER) after " + e.rows
                                    + " rows and was stopped;"
                                    + " nothing was stored. Select fewer rows or columns, or delete sessions to make room.")
                    .with("remaining_bytes", maxBytes));
        } catch (TooManyCellsException e) {
            throw new ProblemException(
                    ProblemType.TOO_MANY_CELLS,
                    "The result has more than " + upload.maxCells()
                            + " cells (rows x columns), the limit set by MAX_DATAFRAME_SIZE. Select fewer rows or columns.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection closes next
            }
        }
    }

    private Connection connect(Source source) {
        try {
            return SourceConnections.open(source, config.connectTimeout(), config.queryTimeout());
        } catch (SQLException e) {
            throw SourceFailures.of(source, e, false);
        }
    }

    private static String defaultSchema(Source source, Connection c) throws SQLException {
        return switch (source.kind()) {
            case POSTGRESQL -> c.getSchema() == null ? "public" : c.getSchema();
            case MARIADB -> c.getCatalog() == null ? "" : c.getCatalog();
            case SQLITE -> "main";
        };
    }

    private static ProblemException noTable(Source source, String table) {
        return new ProblemException(
                ProblemType.NOT_FOUND,
                "Source '" + source.name() + "' has no table '"
                        + SourceCatalog.clip(table) + "' that can be read. GET /api/sources/" + source.name()
                        + "/tables lists its tables.");
    }
}
