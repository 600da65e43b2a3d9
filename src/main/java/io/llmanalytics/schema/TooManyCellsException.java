package io.llmanalytics.schema;

/** The dataset holds more cells than the configured maximum. */
public class TooManyCellsException extends RuntimeException {

    public TooManyCellsException(long maxCells) {
        super("more than " + maxCells + " cells", null, false, false);
    }
}
