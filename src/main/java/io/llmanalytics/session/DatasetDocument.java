package io.llmanalytics.session;

import java.util.List;

import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.schema.DatasetSchema;

/**
 * One dataset of a session as stored: its schema (with profile and sample) and where its canonical CSV is.
 *
 * @param name the dataset's name
 * @param isDefault whether it is {@code df}
 * @param fileId GridFS id of the canonical CSV (the original upload's id when that file is already canonical)
 * @param contentHash SHA-256 of the canonical CSV
 * @param naValues text read as missing in the canonical CSV
 * @param schema columns, dtypes, profile and sample
 */
public record DatasetDocument(String name, boolean isDefault, String fileId, String contentHash, List<String> naValues,
        DatasetSchema schema) {

    public DatasetSource source() {
        return new DatasetSource(name, isDefault, fileId, contentHash, schema.columnNames(), schema.dataTypes(),
                schema.dateColumns(), schema.rows(), naValues);
    }
}
