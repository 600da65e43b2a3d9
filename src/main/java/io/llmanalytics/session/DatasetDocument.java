package io.llmanalytics.session;

import io.llmanalytics.dataset.DatasetSource;
import io.llmanalytics.dictionary.DataDictionary;
import io.llmanalytics.dictionary.StoredDictionary;
import io.llmanalytics.schema.DatasetSchema;
import io.llmanalytics.sources.DatasetOrigin;
import java.util.List;

/**
 * One dataset of a session as stored: its schema (with profile and sample) and where its canonical CSV is.
 *
 * @param name the dataset's name
 * @param isDefault whether it is {@code df}
 * @param fileId GridFS id of the canonical CSV (the original upload's id when that file is already canonical)
 * @param contentHash SHA-256 of the canonical CSV
 * @param naValues text read as missing in the canonical CSV
 * @param schema columns, dtypes, profile and sample
 * @param origin the database source, table or query and import time of a dataset imported from a source; null for
 *        uploads
 * @param dictionary what the dataset and its columns mean (drafted at upload, edited by people); null when none
 */
public record DatasetDocument(
        String name,
        boolean isDefault,
        String fileId,
        String contentHash,
        List<String> naValues,
        DatasetSchema schema,
        DatasetOrigin origin,
        StoredDictionary dictionary) {

    /** A dataset with its origin and no dictionary. */
    public DatasetDocument(
            String name,
            boolean isDefault,
            String fileId,
            String contentHash,
            List<String> naValues,
            DatasetSchema schema,
            DatasetOrigin origin) {
        this(name, isDefault, fileId, contentHash, naValues, schema, origin, null);
    }

    /** A dataset read from an uploaded file. */
    public DatasetDocument(
            String name,
            boolean isDefault,
            String fileId,
            String contentHash,
            List<String> naValues,
            DatasetSchema schema) {
        this(name, isDefault, fileId, contentHash, naValues, schema, null);
    }

    /** The same dataset with its origin. */
    public DatasetDocument withOrigin(DatasetOrigin from) {
        return new DatasetDocument(name, isDefault, fileId, contentHash, naValues, schema, from, dictionary);
    }

    /** The same dataset with this dictionary. */
    public DatasetDocument withDictionary(StoredDictionary stored) {
        return new DatasetDocument(name, isDefault, fileId, contentHash, naValues, schema, origin, stored);
    }

    /** The dataset's dictionary; empty when it has none. */
    public DataDictionary dataDictionary() {
        return dictionary == null ? DataDictionary.EMPTY : dictionary.dictionary();
    }

    public DatasetSource source() {
        return new DatasetSource(
                name,
                isDefault,
                fileId,
                contentHash,
                schema.columnNames(),
                schema.dataTypes(),
                schema.dateColumns(),
                schema.rows(),
                naValues);
    }
}
