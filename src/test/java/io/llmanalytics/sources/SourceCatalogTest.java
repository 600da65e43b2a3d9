package io.llmanalytics.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's settings, as environment variables and as properties, become named sources. */
class SourceCatalogTest {

    @TempDir
    Path dir;

    @Test
    void environmentVariablesNameEveryPartOfAConnection() throws Exception {
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "from-file\nsecond line ignored\n");
        Map<String, Source> sources = SourceCatalog.parse(Map.ofEntries(
                Map.entry("SOURCES_WAREHOUSE_URL", " jdbc:postgresql://db.internal:5432/shop "),
                Map.entry("SOURCES_WAREHOUSE_USERNAME", "reader"),
                Map.entry("SOURCES_WAREHOUSE_PASSWORD", "direct"),
                Map.entry("SOURCES_WAREHOUSE_PASSWORD_FILE", pw.toString()),
                Map.entry("SOURCES_WAREHOUSE_TABLES", " public.Orders, sales.customers ,,"),
                Map.entry("SOURCES_SALES_EU_URL", "jdbc:mysql://m:3306/eu"),
                Map.entry("SOURCES_SALES_EU_PASSWORD", "pw2"),
                Map.entry("SOURCES_LITE_URL", "jdbc:sqlite:/data/x.db"),
                Map.entry("SOURCES_QUERY_TIMEOUT", "5s"),
                Map.entry("SOURCES_ORACLE_URL", "jdbc:oracle:thin:@h:1521/x"),
                Map.entry("SOURCES_NOURL_USERNAME", "u"),
                Map.entry("SOURCES_BLANK_URL", "  "),
                Map.entry("PATH", "/usr/bin")));
        assertEquals(
                List.of("lite", "sales_eu", "warehouse"),
                sources.keySet().stream().sorted().toList());
        Source w = sources.get("warehouse");
        assertEquals(SourceKind.POSTGRESQL, w.kind());
        assertEquals("jdbc:postgresql://db.internal:5432/shop", w.url());
        assertEquals(Optional.of("reader"), w.username());
        assertEquals(Optional.of(pw), w.passwordFile());
        assertEquals(Optional.of("from-file"), w.secret(), "the file wins over the direct value");
        assertEquals(List.of("public.orders", "sales.customers"), w.tables());
        assertTrue(w.allows("PUBLIC.ORDERS") && !w.allows("public.secrets"));
        assertTrue(w.secrets().containsAll(List.of("reader", "direct", "db.internal:5432", "db.internal")));
        assertEquals("Source[warehouse, postgresql]", w.toString(), "toString names no secret");
        Source eu = sources.get("sales_eu");
        assertEquals(SourceKind.MARIADB, eu.kind());
        assertEquals(Optional.empty(), eu.username());
        assertEquals(Optional.of("pw2"), eu.secret());
        assertEquals(List.of(), eu.tables(), "no list: every table the user can read");
        assertEquals(SourceKind.SQLITE, sources.get("lite").kind());
    }

    @Test
    void propertiesWorkAndTheEnvironmentWins() {
        Map<String, Source> sources = SourceCatalog.parse(Map.of(
                "sources.crm.url", "jdbc:postgresql://a/crm",
                "sources.crm.username", "prop-user",
                "SOURCES_CRM_USERNAME", "env-user",
                "sources.crm.password-file", "/run/secrets/crm",
                "sources.query-timeout", "30s"));
        assertEquals(List.of("crm"), List.copyOf(sources.keySet()));
        assertEquals(Optional.of("env-user"), sources.get("crm").username());
        assertEquals(
                Optional.of(Path.of("/run/secrets/crm")), sources.get("crm").passwordFile());
    }

    @Test
    void anUnreadablePasswordFileIs503NamingOnlyTheSource() {
        Source s = SourceCatalog.parse(Map.of(
                        "SOURCES_X_URL",
                        "jdbc:postgresql://h/x",
                        "SOURCES_X_PASSWORD_FILE",
                        dir.resolve("missing").toString()))
                .get("x");
        ProblemException e = assertThrows(ProblemException.class, s::secret);
        assertEquals(503, e.type().status());
        assertFalse(e.getMessage().contains(dir.toString()));
    }

    @Test
    void unknownNamesAre404() {
        SourceCatalog catalog = new SourceCatalog(SourceCatalog.parse(Map.of("SOURCES_A_URL", "jdbc:sqlite:/x.db")));
        assertEquals("a", catalog.get("A").name());
        assertEquals(
                404,
                assertThrows(ProblemException.class, () -> catalog.get("b"))
                        .type()
                        .status());
    }
}
