package io.llmanalytics.sources;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tables and views of a source that its user can read and the operator allowed, with their columns and the
 * database's row estimates. Blocking.
 */
final class SourceTables {

    private static final Set<String> SYSTEM =
            Set.of("pg_catalog", "information_schema", "pg_toast", "mysql", "performance_schema", "sys");

    private SourceTables() {}

    static List<TableInfo> list(Source source, Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String catalog = source.kind() == SourceKind.MARIADB ? connection.getCatalog() : null;
        Map<String, List<TableInfo.Column>> columns = new LinkedHashMap<>();
        Map<String, String[]> names = new LinkedHashMap<>();
        try (ResultSet rs = meta.getTables(catalog, null, "%", new String[] {
            "TABLE", "VIEW", "BASE TABLE", "MATERIALIZED VIEW", "PARTITIONED TABLE"
        })) {
            while (rs.next()) {
                String schema = schemaOf(source, rs.getString("TABLE_CAT"), rs.getString("TABLE_SCHEM"));
                String table = rs.getString("TABLE_NAME");
                if (SYSTEM.contains(schema.toLowerCase(Locale.ROOT)) || table.startsWith("sqlite_")) {
                    continue;
                }
                String key = schema + "." + table;
                if (source.allows(key)) {
                    names.put(key, new String[] {schema, table});
                    columns.put(key, new ArrayList<>());
                }
            }
        }
        if (names.isEmpty()) {
            return List.of();
        }
        try (ResultSet rs = meta.getColumns(catalog, null, "%", "%")) {
            while (rs.next()) {
                String key = schemaOf(source, rs.getString("TABLE_CAT"), rs.getString("TABLE_SCHEM")) + "."
                        + rs.getString("TABLE_NAME");
                List<TableInfo.Column> list = columns.get(key);
                if (list != null) {
                    list.add(new TableInfo.Column(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME")));
                }
            }
        }
        Map<String, Long> estimates = estimates(source, connection);
        List<TableInfo> out = new ArrayList<>();
        names.forEach(
                (key, n) -> out.add(new TableInfo(n[0], n[1], List.copyOf(columns.get(key)), estimates.get(key))));
        return out;
    }

    private static String schemaOf(Source source, String catalog, String schema) {
        return switch (source.kind()) {
            case MARIADB -> catalog != null ? catalog : schema;
            case SQLITE -> "main";
            case POSTGRESQL -> schema;
        };
    }

    private static Map<String, Long> estimates(Source source, Connection connection) throws SQLException {
        String sql = switch (source.kind()) {
            case POSTGRESQL ->
                "SELECT n.nspname, c.relname, c.reltuples::bigint FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm')";
            case MARIADB ->
                "SELECT table_schema, table_name, table_rows FROM information_schema.tables"
                        + " WHERE table_schema = DATABASE()";
            case SQLITE -> null;
        };
        Map<String, Long> out = new HashMap<>();
        if (sql == null) {
            return out;
        }
        try (PreparedStatement s = connection.prepareStatement(sql);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                long n = rs.getLong(3);
                if (!rs.wasNull() && n >= 0) {
                    out.put(rs.getString(1) + "." + rs.getString(2), n);
                }
            }
        }
        return out;
    }

    /**
     * The table {@code requested} names ({@code schema.table}, or {@code table} in the default schema), matched
     * exactly first and then ignoring case; null when absent or not allowed.
     */
    static TableInfo resolve(List<TableInfo> tables, String requested, String defaultSchema) {
        String wanted = requested.contains(".") ? requested : defaultSchema + "." + requested;
        for (TableInfo t : tables) {
            if (t.qualified().equals(wanted)) {
                return t;
            }
        }
        TableInfo found = null;
        for (TableInfo t : tables) {
            if (t.qualified().equalsIgnoreCase(wanted)) {
                if (found != null) {
                    return null;
                }
                found = t;
            }
        }
        return found;
    }

    /** The table's name quoted for {@code kind}'s SQL. */
    static String quoted(SourceKind kind, TableInfo table) {
        return quote(kind, table.schema()) + "." + quote(kind, table.table());
    }

    private static String quote(SourceKind kind, String name) {
        return kind == SourceKind.MARIADB
                ? "`" + name.replace("`", "``") + "`"
                : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
