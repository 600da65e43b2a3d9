package io.llmanalytics.upload.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.upload.TableLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches hold at most so many rows and so many cells: a wide table's batches have fewer rows, none is lost. */
class RecordBatchesTest {

    @TempDir
    Path dir;

    /** The sizes of the batches of a table of {@code columns} columns and {@code rows} rows, checking every cell. */
    List<Integer> batchSizes(int columns, int rows) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int r = -1; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                csv.append(c == 0 ? "" : ",").append(r < 0 ? "c" + c : r + "-" + c);
            }
            csv.append('\n');
        }
        Path file = Files.writeString(dir.resolve(columns + ".csv"), csv);
        List<Integer> sizes = new ArrayList<>();
        int row = 0;
        try (CsvRecords records = new CsvRecords(file, Dialect.CANONICAL, new TableLimits(10_000, 1_000_000))) {
            records.header();
            try (RecordBatches batches = new RecordBatches(records)) {
                RecordBatches.Batch batch;
                while ((batch = batches.next()) != null) {
                    for (int i = 0; i < batch.size; i++, row++) {
                        assertEquals(row + "-" + (columns - 1), batch.rows[i][columns - 1]);
                        assertEquals(row + 2, batch.lines[i]);
                    }
                    batches.finish(batch);
                    if (batch.size > 0) {
                        sizes.add(batch.size);
                    }
                }
            }
        }
        assertEquals(rows, row, "every record, in order");
        return sizes;
    }

    @Test
    void narrowTablesComeInBatchesOfRows() throws IOException {
        List<Integer> sizes = batchSizes(7, 5000);

        assertEquals(
                List.of(RecordBatches.BATCH_ROWS, RecordBatches.BATCH_ROWS, 5000 - 2 * RecordBatches.BATCH_ROWS),
                sizes);
    }

    @Test
    void wideTablesComeInBatchesOfAtMostSoManyCells() throws IOException {
        int columns = 1250;
        List<Integer> sizes = batchSizes(columns, 300);

        int rowsPerBatch = (RecordBatches.BATCH_CELLS + columns - 1) / columns;
        assertTrue(sizes.stream().allMatch(size -> size <= rowsPerBatch), sizes.toString());
        assertTrue(sizes.stream().allMatch(size -> (size - 1) * columns < RecordBatches.BATCH_CELLS), sizes.toString());
    }
}
