import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Converts a CSV to Parquet (zstd, row groups of 122880 rows) with DuckDB, for bench/parquet.sh:
 * {@code java -cp duckdb_jdbc.jar bench/ToParquet.java in.csv out.parquet}.
 */
public class ToParquet {
    public static void main(String[] args) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("COPY (SELECT * FROM read_csv('" + args[0].replace("'", "''") + "')) TO '"
                    + args[1].replace("'", "''") + "' (FORMAT parquet, COMPRESSION zstd)");
        }
    }
}
