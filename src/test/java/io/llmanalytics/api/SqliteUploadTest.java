package io.llmanalytics.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.llmanalytics.testing.Uploads;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite database files as uploads: every table and view with rows a dataset, the file left unchanged (read-only),
 * and corrupt, truncated or misnamed files a precise 4xx.
 */
@QuarkusTest
class SqliteUploadTest {

    @TempDir
    Path dir;

    private Path shop() throws Exception {
        Path file = dir.resolve("shop.sqlite");
        try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + file, new Properties());
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE orders (id INTEGER, customer TEXT, amount REAL, placed DATE, note TEXT)");
            s.executeUpdate("INSERT INTO orders VALUES (1, 'ann', 2.5, '2024-01-02', NULL), (2, 'bob', 4.0,"
                    + " '2024-01-03', 'x'), (3, 'ann', NULL, '2024-02-01', 'y')");
            s.executeUpdate("CREATE TABLE customers (name TEXT, region TEXT)");
            s.executeUpdate("INSERT INTO customers VALUES ('ann', 'north'), ('bob', 'south')");
            s.executeUpdate("CREATE TABLE empty (a INTEGER)");
            s.executeUpdate(
                    "CREATE VIEW totals AS SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer");
        }
        return file;
    }

    @Test
    void everyTableAndViewWithRowsIsADataset() throws Exception {
        Path file = shop();
        byte[] bytes = Files.readAllBytes(file);
        String id = Uploads.upload("shop.sqlite", bytes)
                .then()
                .statusCode(201)
                .body("datasets", hasSize(3))
                .body("datasets.name", equalTo(List.of("orders", "customers", "totals")))
                .body("datasets[0].default", is(true))
                .body("datasets[0].rows", is(3))
                .body("datasets[0].data_types.id", is("int64"))
                .body("datasets[0].data_types.amount", is("float64"))
                .body("datasets[0].data_types.customer", is("object"))
                .body("datasets[0].data_types.placed", is("datetime64[ns]"))
                .body("datasets[0].null_counts.note", is(1))
                .body("datasets[2].rows", is(2))
                .body("datasets[2].data_types.total", is("float64"))
                .body("data_info.rows", is(3))
                .extract()
                .jsonPath()
                .getString("session_id");
        given().get("/api/session/" + id).then().statusCode(200).body("format", is("sqlite"));
        assertEquals(Arrays.hashCode(bytes), Arrays.hashCode(Files.readAllBytes(file)), "the database is not changed");
        for (String name : List.of("shop.db", "shop.sqlite3")) {
            Uploads.upload(name, bytes).then().statusCode(201).body("datasets", hasSize(3));
        }
    }

    @Test
    void corruptTruncatedAndMisnamedFilesAre4xx() throws Exception {
        byte[] good = Files.readAllBytes(shop());
        byte[] corrupt = good.clone();
        for (int i = 100; i < corrupt.length; i++) {
            corrupt[i] = (byte) (i * 31 + 7);
        }
        Uploads.upload("corrupt.sqlite", corrupt)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("SQLite database cannot be read"))
                .body("detail", not(containsString(dir.toString())))
                .body("detail", not(containsString("/tmp")));
        Uploads.upload("truncated.db", Arrays.copyOf(good, 100))
                .then()
                .statusCode(400)
                .body("detail", containsString("SQLite"));
        Uploads.upload("notes.db", "just text, not a database\n".getBytes(StandardCharsets.UTF_8))
                .then()
                .statusCode(400)
                .body("detail", containsString("not an SQLite database"));
        Uploads.upload("shop.csv", good).then().statusCode(415).body("detail", containsString("SQLite"));
        Path empty = dir.resolve("empty.sqlite");
        try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + empty, new Properties());
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE blank (a INTEGER)");
        }
        Uploads.upload("empty.sqlite", Files.readAllBytes(empty))
                .then()
                .statusCode(400)
                .body("detail", containsString("no table or view with at least one row"));
    }

    @Test
    void anSqliteDatabaseIsAddedToASessionAsSeveralDatasets() throws Exception {
        String id = Uploads.sessionOf("regions.csv", "region,manager\nnorth,ann\n");
        given().multiPart("file", "shop.db", readAll(shop()))
                .post("/api/session/" + id + "/datasets")
                .then()
                .statusCode(201)
                .body("datasets.name", equalTo(List.of("orders", "customers", "totals")));
    }

    private static byte[] readAll(Path p) throws IOException {
        return Files.readAllBytes(p);
    }
}
