package io.llmanalytics.schema;

import java.util.List;

/**
 * The integer facts of a CSV's columns gathered by its profile pass ({@link IntegerValues}), for a file whose physical
 * lines are its records one for one (the header on the first line, no record spanning lines), so that a line-by-line
 * reader of the same file sees the same fields: an uploaded CSV that is itself canonical, or the canonical copy a typed
 * reader (Parquet, Arrow, JSON Lines) wrote in the pass that profiled it.
 *
 * @param byIndex per column, its values while every cell was an integer; null for a column with another cell
 * @param blankLines whether some data line was blank (the pass skips it; a line-by-line reader sees a blank first field)
 */
public record FoldedIntegers(List<IntegerValues> byIndex, boolean blankLines) {}
