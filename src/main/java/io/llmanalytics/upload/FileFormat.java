package io.llmanalytics.upload;

/** The kinds of file an upload may be. */
public enum FileFormat {
    CSV,
    XLSX,
    XLS,
    JSON,
    SQLITE;

    /** The accepted file extensions, for messages. */
    public static final String ACCEPTED = ".csv, .tsv, .txt (delimited text), .xlsx, .xls (Excel) and .json (an array of records), .sqlite, .sqlite3, .db (SQLite databases)";
}
