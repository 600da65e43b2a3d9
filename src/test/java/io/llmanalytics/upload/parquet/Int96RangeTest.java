package io.llmanalytics.upload.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.testing.Corpus;
import io.llmanalytics.upload.formats.FormatFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * int96_from_spark.parquet (its description: six values, the fifth null, the sixth at the year 290000, beyond what
 * 64-bit nanoseconds hold): DuckDB decodes that value as a wrong date before year 1, so the upload is refused with a
 * 400 naming the column, the row and what the value reads as, and saying how to write the file instead, never shown
 * as a silently wrapped date.
 */
class Int96RangeTest {

    @TempDir
    Path work;

    @Test
    void theOutOfRangeInt96ValueIsRefusedNamingColumnRowValueAndRemedy() {
        ProblemException p = assertThrows(
                ProblemException.class,
                () -> FormatFixtures.parser()
                        .parse(Corpus.file("formats/parquet/int96_from_spark.parquet"), "int96.parquet", work));
        String detail = p.problem().detail();
        assertEquals(400, p.problem().status(), detail);
        assertTrue(detail.startsWith("Column 'a', row 6 of the Parquet file"), detail);
        assertTrue(detail.contains("it reads as '-226413-01-07 22:21:39.416064'"), detail);
        assertTrue(detail.contains("not its stored value"), detail);
        assertTrue(detail.contains("TIMESTAMP_MICROS"), detail);
    }
}
