package io.llmanalytics.schema;

/** What one cell's text is, as pandas' CSV reader would see it. */
public enum CellKind {
    NULL,
    INT,
    /** An integer that does not fit int64; pandas would not give int64. */
    BIG_INT,
    /** An integer written with leading zeros (a code such as a ZIP code): kept as text. */
    CODE,
    FLOAT,
    BOOL,
    DATE,
    TEXT
}
