package io.llmanalytics.upload.csv;

import io.llmanalytics.schema.CellConventions;
import io.llmanalytics.schema.ColumnSchema;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.schema.PandasType;
import io.llmanalytics.schema.SampleValues;
import io.llmanalytics.upload.CanonicalCsvWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes a dataset's canonical CSV from its records once its final dtypes are known (records parsed ahead on a thread of their own). */
public final class CanonicalRewriter {

    private CanonicalRewriter() {}

    /** Writes every record of {@code records} (after its header) to {@code out}, normalised for {@code schema}. */
    public static void write(CsvRecords records, DatasetSchema schema, CellConventions conventions, Path out)
            throws IOException {
        List<ColumnSchema> columns = schema.columns();
        PandasType[] types = columns.stream().map(ColumnSchema::type).toArray(PandasType[]::new);
        try (CanonicalCsvWriter writer = new CanonicalCsvWriter(out)) {
            records.header();
            writer.header(schema.columnNames());
            String[] cells = new String[types.length];
            try (RecordBatches batches = new RecordBatches(records)) {
                RecordBatches.Batch batch;
                while ((batch = batches.next()) != null) {
                    for (int r = 0; r < batch.size; r++) {
                        String[] record = batch.rows[r];
                        for (int i = 0; i < types.length; i++) {
                            cells[i] =
                                    i < record.length ? SampleValues.canonical(record[i], types[i], conventions) : null;
                        }
                        writer.write(cells);
                    }
                    batches.finish(batch);
                }
            }
        }
    }
}
