package io.llmanalytics.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;
import io.llmanalytics.schema.DatasetSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Imports from real PostgreSQL and MariaDB servers (Debian's, started by {@link DatabaseServers}) and from SQLite
 * files, checked against what {@code pd.read_sql} gives on the same tables; and the safety rules: writes, several
 * statements, timeouts, wrong credentials, unreachable servers and tables outside the allowed list.
 */
@ExtendWith(DatabaseServers.class)
class SqlImportTest {

    static TestDatabase postgres;
    static TestDatabase mariadb;

    @TempDir
    Path dir;

    @BeforeAll
    static void servers() {
        postgres = DatabaseServers.server(TestDatabase.Kind.POSTGRESQL);
        mariadb = DatabaseServers.server(TestDatabase.Kind.MARIADB);
    }

    static TestDatabase db(TestDatabase.Kind kind) {
        return kind == TestDatabase.Kind.POSTGRESQL ? postgres : mariadb;
    }

    static SourceImporter importer(TestDatabase db) {
        return Importers.importer(
                Duration.ofSeconds(30), 100_000_000L, Importers.source("db", db, TestDatabase.PASSWORD, List.of()));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void typeMatrixIsWhatReadSqlGives(TestDatabase.Kind kind) throws Exception {
        TestDatabase db = db(kind);
        SourceImporter.Imported imported =
                importer(db).importTo(new SourceRequest("db", "types", null, null), dir.resolve("types.csv"));
        DatasetSchema schema = imported.table().schema();
        assertEquals(3, schema.rows());
        Map<String, String> types = schema.dataTypes();
        assertEquals("int64", types.get("id"));
        assertEquals("float64", types.get("int_null"), "an integer column with NULLs is float64");
        assertEquals("float64", types.get("num"));
        assertEquals("datetime64[ns]", types.get("tstz"));
        assertEquals("object", types.get("empty_col"));
        assertEquals(kind == TestDatabase.Kind.POSTGRESQL ? "bool" : "int64", types.get("flag"));
        assertEquals("types", schema.name());
        assertEquals("db", imported.origin().source());
        assertTrue(imported.origin().table().endsWith(".types"));
        compareWithPandas(
                db.sqlalchemyUrl(),
                "SELECT * FROM types ORDER BY id",
                List.of("day", "ts", "tstz"),
                imported,
                List.of("flag_null"));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void queryIsImportedWithItsName(TestDatabase.Kind kind) throws Exception {
        TestDatabase db = db(kind);
        String sql =
                "SELECT customer, SUM(amount) AS total, COUNT(*) AS n FROM orders GROUP BY customer ORDER BY customer";
        SourceImporter.Imported imported =
                importer(db).importTo(new SourceRequest("db", null, sql + ";", "totals"), dir.resolve("q.csv"));
        assertEquals("totals", imported.table().schema().name());
        assertEquals(7, imported.table().schema().rows());
        assertEquals(sql, imported.origin().query());
        compareWithPandas(db.sqlalchemyUrl(), sql, List.of(), imported);
    }

    @Test
    void sqliteFileTablesAreWhatReadSqlGives() throws Exception {
        Path file = dir.resolve("shop.sqlite");
        try (var c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, new java.util.Properties());
                var s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t (id INTEGER, price REAL, name TEXT, day DATE, at DATETIME, maybe INTEGER,"
                    + " mixed)");
            s.executeUpdate(
                    "INSERT INTO t VALUES (1, 2.5, 'a', '2024-01-02', '2024-01-02 03:04:05', 1, 'x'),"
                            + " (2, 3.0, 'b', '2024-02-03', '2024-02-03 10:00:00', NULL, 5), (3, NULL, NULL, NULL, NULL, 3, 2.5)");
        }
        Source source = new Source(
                "lite",
                SourceKind.SQLITE,
                "jdbc:sqlite:" + file,
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                List.of());
        SourceImporter importer = Importers.importer(Duration.ofSeconds(30), 1_000_000, source);
        SourceImporter.Imported imported =
                importer.importTo(new SourceRequest("lite", "t", null, null), dir.resolve("t.csv"));
        assertEquals("float64", imported.table().schema().dataTypes().get("maybe"));
        compareWithPandas("sqlite:///" + file, "SELECT * FROM t", List.of("day", "at"), imported, List.of("mixed"));
        ProblemException write = assertThrows(
                ProblemException.class,
                () -> importer.importTo(new SourceRequest("lite", null, "DELETE FROM t", null), dir.resolve("w.csv")));
        assertEquals(ProblemType.BAD_REQUEST, write.type());
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void writesAndSeveralStatementsAreRefusedAndNothingChanges(TestDatabase.Kind kind) throws Exception {
        SourceImporter importer = importer(db(kind));
        for (String sql : List.of(
                "DELETE FROM orders",
                "UPDATE orders SET amount = 0",
                "DROP TABLE orders",
                "SELECT 1; DELETE FROM orders",
                "CREATE TABLE x (a int)",
                "SELECT * INTO copy FROM orders",
                "SELECT * FROM orders FOR UPDATE",
                "INSERT INTO orders VALUES (9999, 'x', 1, NULL)",
                "SELEC 1")) {
            ProblemException e = assertThrows(
                    ProblemException.class,
                    () -> importer.importTo(new SourceRequest("db", null, sql, null), dir.resolve("x.csv")),
                    sql);
            assertEquals(400, e.type().status(), sql + ": " + e.getMessage());
        }
        if (kind == TestDatabase.Kind.POSTGRESQL) {
            // a write the parser cannot see (a function with side effects) is refused by the read-only transaction
            ProblemException e = assertThrows(
                    ProblemException.class,
                    () -> importer.importTo(
                            new SourceRequest(
                                    "db",
                                    null,
                                    "SELECT * FROM (SELECT 1) x, LATERAL (SELECT set_config('x.y', '1', false)) y,"
                                            + " LATERAL (SELECT nextval('orders_seq')) z",
                                    null),
                            dir.resolve("x.csv")));
            assertEquals(400, e.type().status(), e.getMessage());
            ProblemException cte = assertThrows(
                    ProblemException.class,
                    () -> importer.importTo(
                            new SourceRequest(
                                    "db", null, "WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d", null),
                            dir.resolve("x.csv")));
            assertEquals(400, cte.type().status(), cte.getMessage());
        }
        assertEquals(
                500,
                importer.importTo(new SourceRequest("db", "orders", null, null), dir.resolve("o.csv"))
                        .table()
                        .schema()
                        .rows());
        assertFalse(Files.exists(dir.resolve("x.csv")), "nothing half-written");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void slowQueryTimesOut(TestDatabase.Kind kind) {
        TestDatabase db = db(kind);
        SourceImporter importer = Importers.importer(
                Duration.ofSeconds(2), 100_000_000L, Importers.source("db", db, TestDatabase.PASSWORD, List.of()));
        String sql = kind == TestDatabase.Kind.POSTGRESQL
                ? "SELECT pg_sleep(20)"
                : "SELECT SLEEP(20) AS s FROM orders LIMIT 2";
        long start = System.nanoTime();
        ProblemException e = assertThrows(
                ProblemException.class,
                () -> importer.importTo(new SourceRequest("db", null, sql, null), dir.resolve("slow.csv")));
        assertEquals(ProblemType.SOURCE_TIMEOUT, e.type(), e.getMessage());
        assertEquals(504, e.type().status());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "cancelled near the deadline");
        assertFalse(Files.exists(dir.resolve("slow.csv")));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void wrongCredentialsAre502WithoutEchoingThem(TestDatabase.Kind kind) {
        TestDatabase db = db(kind);
        SourceImporter importer = Importers.importer(
                Duration.ofSeconds(10), 1000, Importers.source("db", db, "not-the-password-xyz", List.of()));
        ProblemException e = assertThrows(
                ProblemException.class,
                () -> importer.importTo(new SourceRequest("db", "orders", null, null), dir.resolve("c.csv")));
        assertEquals(502, e.type().status(), e.getMessage());
        assertFalse(e.getMessage().contains("not-the-password-xyz"));
        assertFalse(e.getMessage().contains(TestDatabase.USER));
        assertFalse(e.getMessage().contains("127.0.0.1"));
        assertTrue(e.getMessage().contains("credentials"));
    }

    @Test
    void unreachableServerIs503NamingTheSourceOnly() throws IOException {
        int port = TestDatabase.freePort();
        Source source = new Source(
                "warehouse",
                SourceKind.POSTGRESQL,
                "jdbc:postgresql://127.0.0.1:" + port + "/x",
                java.util.Optional.of("someone"),
                java.util.Optional.of("pw-123456"),
                java.util.Optional.empty(),
                List.of());
        ProblemException e = assertThrows(
                ProblemException.class,
                () -> Importers.importer(Duration.ofSeconds(5), 1000, source)
                        .importTo(new SourceRequest("warehouse", "t", null, null), dir.resolve("u.csv")));
        assertEquals(503, e.type().status());
        assertTrue(e.getMessage().contains("'warehouse'"));
        assertFalse(e.getMessage().contains("127.0.0.1")
                || e.getMessage().contains(Integer.toString(port))
                || e.getMessage().contains("someone"));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void tablesOutsideTheAllowedListAreAbsent(TestDatabase.Kind kind) {
        TestDatabase db = db(kind);
        String schema = kind == TestDatabase.Kind.POSTGRESQL ? "public" : TestDatabase.DATABASE;
        SourceImporter importer = Importers.importer(
                Duration.ofSeconds(10),
                100_000_000L,
                Importers.source("db", db, TestDatabase.PASSWORD, List.of(schema + ".orders", schema + ".types")));
        List<TableInfo> tables = importer.tables("db");
        assertEquals(
                List.of("orders", "types"),
                tables.stream().map(TableInfo::table).sorted().toList());
        TableInfo orders = tables.stream()
                .filter(t -> t.table().equals("orders"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of("order_id", "customer", "amount", "placed"),
                orders.columns().stream().map(TableInfo.Column::name).toList());
        for (SourceRequest r : List.of(
                new SourceRequest("db", "big", null, null),
                new SourceRequest("db", "nosuch", null, null),
                new SourceRequest("db", null, "SELECT * FROM big", null),
                new SourceRequest("db", null, "SELECT o.* FROM orders o JOIN big b ON b.id = o.order_id", null))) {
            ProblemException e = assertThrows(ProblemException.class, () -> importer.importTo(r, dir.resolve("n.csv")));
            assertEquals(404, e.type().status(), e.getMessage());
        }
        ProblemException unknown = assertThrows(
                ProblemException.class,
                () -> importer.importTo(new SourceRequest("nope", "orders", null, null), dir.resolve("n.csv")));
        assertEquals(404, unknown.type().status());
    }

    @Test
    void cellLimitApplies() {
        SourceImporter importer = Importers.importer(
                Duration.ofSeconds(30), 1000, Importers.source("db", postgres, TestDatabase.PASSWORD, List.of()));
        ProblemException e = assertThrows(
                ProblemException.class,
                () -> importer.importTo(new SourceRequest("db", "orders", null, null), dir.resolve("l.csv")));
        assertEquals(ProblemType.TOO_MANY_CELLS, e.type());
        assertFalse(Files.exists(dir.resolve("l.csv")));
    }

    /** Runs compare.py: the canonical file loaded as the worker loads it equals {@code pd.read_sql(sql)}. */
    static void compareWithPandas(String url, String sql, List<String> parseDates, SourceImporter.Imported imported)
            throws Exception {
        compareWithPandas(url, sql, parseDates, imported, List.of());
    }

    /**
     * As above, with columns whose values are known to differ: object columns holding booleans or mixed numbers
     * with NULLs, which pandas keeps as Python objects and the worker's CSV loader reads back as text (the dtype
     * still has to match).
     */
    static void compareWithPandas(
            String url,
            String sql,
            List<String> parseDates,
            SourceImporter.Imported imported,
            List<String> knownDifferences)
            throws Exception {
        DatasetSchema schema = imported.table().schema();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put(
                "worker", Path.of("src/main/resources/worker").toAbsolutePath().toString());
        request.put("url", url);
        request.put("sql", sql);
        request.put("parse_dates", parseDates);
        request.put("canonical", imported.table().canonical().toString());
        request.put("columns", schema.columnNames());
        request.put("dtypes", schema.dataTypes());
        request.put("date_columns", schema.dateColumns());
        request.put("na_values", imported.table().naValues());
        request.put("known_differences", knownDifferences);
        Path in = Files.createTempFile("compare-", ".json");
        Files.writeString(in, new ObjectMapper().writeValueAsString(request));
        Path script = Path.of("src/test/resources/sources/compare.py");
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString())
                .redirectInput(in.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        Files.delete(in);
        assertEquals(0, p.exitValue(), "service and pd.read_sql differ:\n" + out);
    }
}
