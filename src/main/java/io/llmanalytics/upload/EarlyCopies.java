package io.llmanalytics.upload;

import java.nio.file.Path;

/**
 * Told of a table's canonical copy as soon as it is written whole, before the parse of its table has ended (the Parquet
 * fast path writes its copy first, then profiles the table), so that the copy can be stored meanwhile. A copy told of
 * is never written again: a table whose parse then takes another way writes its copy at another path, so that the
 * copy told of is not the table's ({@link ParsedTable#canonical()} differs) and its store is to be discarded.
 */
@FunctionalInterface
public interface EarlyCopies {

    /** No one listens: copies are stored once the parse has ended. */
    EarlyCopies NONE = (dataset, canonical) -> {};

    /** The canonical copy of the table {@code dataset} is written whole at {@code canonical}. */
    void written(String dataset, Path canonical);
}
