package io.llmanalytics.schema;

/** A data row with more non-empty fields than the header has columns. */
public class RaggedRowException extends RuntimeException {

    private final int fields;
    private final int columns;

    public RaggedRowException(int fields, int columns) {
        super(fields + " fields where the header has " + columns + " columns", null, false, false);
        this.fields = fields;
        this.columns = columns;
    }

    public int fields() {
        return fields;
    }

    public int columns() {
        return columns;
    }
}
