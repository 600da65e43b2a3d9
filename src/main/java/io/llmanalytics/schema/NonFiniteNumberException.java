package io.llmanalytics.schema;

/**
 * A numeric column holds a value that is not a finite 64-bit float ({@code inf}, {@code -Infinity}, an overflowing
 * literal such as {@code 1e999999}): the reader refuses the upload (see {@code io.llmanalytics.upload.NumberRules}).
 */
public class NonFiniteNumberException extends RuntimeException {

    private final String column;
    private final long row;
    private final String value;

    public NonFiniteNumberException(String column, long row, String value) {
        super("column " + column + ", row " + row + ": " + value, null, false, false);
        this.column = column;
        this.row = row;
        this.value = value;
    }

    /** The column's name. */
    public String column() {
        return column;
    }

    /** The data row (1 is the first row after the header). */
    public long row() {
        return row;
    }

    /** The value as written. */
    public String value() {
        return value;
    }
}
