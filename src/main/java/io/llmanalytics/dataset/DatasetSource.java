package io.llmanalytics.dataset;

import java.util.List;
import java.util.Map;

/**
 * Where the worker finds one dataset of a session and how to load it with exactly its schema.
 *
 * <p>The canonical file is UTF-8 CSV with a header row holding {@code columns} in order, written so that
 * {@code pd.read_csv(f, header=0, names=columns, dtype=dtypes-without-dates, parse_dates=dateColumns,
 * keep_default_na=False, na_values=[''], encoding='utf-8')} yields the schema the LLM was shown: an empty field is a
 * missing value, booleans are {@code True}/{@code False}, dates are ISO 8601.
 *
 * @param name the dataset's name ({@code dfs[name]}); the sheet name for workbooks, the file's base name else
 * @param isDefault whether this dataset is {@code df}
 * @param fileId the GridFS id (hex) of the canonical CSV
 * @param contentHash SHA-256 (hex) of the canonical CSV, to key caches
 * @param columns column names, in order
 * @param dtypes pandas dtype of every column
 * @param dateColumns the columns to parse as {@code datetime64[ns]}
 * @param rows row count
 */
public record DatasetSource(String name, boolean isDefault, String fileId, String contentHash, List<String> columns,
        Map<String, String> dtypes, List<String> dateColumns, long rows) {
}
