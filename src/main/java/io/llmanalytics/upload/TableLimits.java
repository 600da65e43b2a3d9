package io.llmanalytics.upload;

import io.llmanalytics.problem.ProblemException;
import io.llmanalytics.problem.ProblemType;

/**
 * Bounds on the shape of an uploaded table that keep ingestion within bounded memory and time.
 *
 * @param maxColumns most columns a dataset may have
 * @param maxCellChars longest cell, in characters
 */
public record TableLimits(int maxColumns, int maxCellChars) {

    public void checkColumns(int columns) {
        if (columns > maxColumns) {
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "The table has " + columns + " columns; at most " + maxColumns
                            + " are supported. Is the delimiter right?");
        }
    }

    public void checkCells(String[] cells, long line) {
        if (cells.length > maxColumns) {
            throw new ProblemException(
                    ProblemType.UNREADABLE_FILE,
                    "Line " + line + " has " + cells.length + " fields; at most " + maxColumns
                            + " columns are supported.");
        }
        for (String cell : cells) {
            if (cell.length() > maxCellChars) {
                throw new ProblemException(
                        ProblemType.UNREADABLE_FILE,
                        "A cell near line " + line + " holds " + cell.length() + " characters; cells of at most "
                                + maxCellChars + " characters are supported.");
            }
        }
    }
}
