package io.llmanalytics.schema;

/** The pandas dtypes a column can have in the worker, as pandas names them. */
public enum PandasType {
    INT64("int64"),
    FLOAT64("float64"),
    BOOL("bool"),
    DATETIME64("datetime64[ns]"),
    OBJECT("object");

    private final String dtype;

    PandasType(String dtype) {
        this.dtype = dtype;
    }

    public String dtype() {
        return dtype;
    }

    public boolean numeric() {
        return this == INT64 || this == FLOAT64;
    }

    public static PandasType of(String dtype) {
        for (PandasType t : values()) {
            if (t.dtype.equals(dtype)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype " + dtype);
    }
}
