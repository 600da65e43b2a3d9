package io.llmanalytics.dataset;

import java.util.List;
import java.util.Map;

/**
 * Where the worker finds one dataset of a session and how to load it with exactly its schema.
 *
 * <p>The canonical file is UTF-8, comma-separated CSV whose first non-blank record is a header (ignored: the names
 * are {@code columns}), written so that {@code pd.read_csv(f, header=0, names=columns, dtype=dtypes-without-dates,
 * parse_dates=dateColumns, keep_default_na=False, na_values=naValues, encoding='utf-8')} yields exactly the schema
 * the LLM was shown. When the uploaded CSV already is such a file it is used as is (then {@code naValues} are pandas'
 * default missing-value tokens and booleans may be written True/TRUE/true); files the service writes itself have
 * {@code naValues = [""]}, ISO 8601 dates and True/False booleans.
 *
 * @param name the dataset's name ({@code dfs[name]}); the sheet name for workbooks, the file's base name else
 * @param isDefault whether this dataset is {@code df}
 * @param fileId the GridFS id (hex) of the canonical CSV
 * @param contentHash SHA-256 (hex) of the canonical CSV, to key caches
 * @param columns column names, in order
 * @param dtypes pandas dtype of every column
 * @param dateColumns the columns to parse as {@code datetime64[ns]}
 * @param rows row count
 * @param naValues the text to read as missing values
 */
public record DatasetSource(
        String name,
        boolean isDefault,
        String fileId,
        String contentHash,
        List<String> columns,
        Map<String, String> dtypes,
        List<String> dateColumns,
        long rows,
        List<String> naValues) {}
