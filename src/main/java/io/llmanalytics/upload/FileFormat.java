package io.llmanalytics.upload;

import java.util.List;

/** The kinds of file an upload may be. */
public enum FileFormat {
    CSV,
    XLSX,
    XLS,
    JSON,
    /** JSON Lines: one record per line ({@code .jsonl}, {@code .ndjson}). */
    JSONL,
    PARQUET,
    /** Arrow IPC file format, which Feather v2 is ({@code .arrow}, {@code .feather}, {@code .ipc}). */
    ARROW,
    /** Arrow IPC stream format ({@code .arrows}, or {@code .ipc}/{@code .arrow} holding a stream). */
    ARROW_STREAM,
    ODS,
    /** SQLite database files: every table and view with rows a dataset. */
    SQLITE;

    /** The accepted file extensions, for messages. */
    public static final String ACCEPTED = ".csv, .tsv, .txt (delimited text), .xlsx, .xls (Excel), .ods (OpenDocument),"
            + " .json (an array of records), .jsonl, .ndjson (JSON Lines), .parquet, .arrow, .feather, .ipc (Arrow IPC),"
            + " .sqlite, .sqlite3, .db (SQLite databases)";

    /** The accepted extensions, as a list. */
    public static final List<String> EXTENSIONS = List.of(
            ".csv",
            ".tsv",
            ".txt",
            ".xlsx",
            ".xls",
            ".ods",
            ".json",
            ".jsonl",
            ".ndjson",
            ".parquet",
            ".arrow",
            ".feather",
            ".ipc",
            ".arrows",
            ".sqlite",
            ".sqlite3",
            ".db");
}
