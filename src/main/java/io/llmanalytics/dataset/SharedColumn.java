package io.llmanalytics.dataset;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A column pair of two datasets of one session that could join them (a candidate join key), with how well their
 * values match, measured on the data when a dataset was added.
 *
 * @param leftDataset the first dataset's name
 * @param leftColumn its column
 * @param rightDataset the second dataset's name
 * @param rightColumn its column
 * @param dtype the left column's pandas dtype
 * @param leftDistinct distinct non-missing values in the left column (counted up to the bound, see {@code sampled})
 * @param rightDistinct distinct non-missing values in the right column
 * @param common distinct values found in both
 * @param overlap {@code common / min(leftDistinct, rightDistinct)}: 1 when every value of the smaller side is found in
 *        the other
 * @param sameName whether the columns have the same name (ignoring case and punctuation), or name the other dataset's
 *        id ({@code customer_id} and {@code customers.id})
 * @param sampled whether a column had more distinct values than were collected (the counts are then lower bounds)
 */
@RegisterForReflection
public record SharedColumn(
        String leftDataset,
        String leftColumn,
        String rightDataset,
        String rightColumn,
        String dtype,
        long leftDistinct,
        long rightDistinct,
        long common,
        double overlap,
        boolean sameName,
        boolean sampled) {}
