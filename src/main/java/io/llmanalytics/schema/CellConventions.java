package io.llmanalytics.schema;

/**
 * How a source writes its cells, where pandas reads sources differently.
 *
 * @param decimalComma numbers are written {@code 12,5} (delimited text read with {@code decimal=','})
 * @param boolsAreNumbers booleans mixed with numbers or blanks count as 1/0, as {@code read_excel} makes them
 */
public record CellConventions(boolean decimalComma, boolean boolsAreNumbers) {

    public static final CellConventions TEXT = new CellConventions(false, false);
    public static final CellConventions EXCEL = new CellConventions(false, true);
    public static final CellConventions DECIMAL_COMMA = new CellConventions(true, false);
}
