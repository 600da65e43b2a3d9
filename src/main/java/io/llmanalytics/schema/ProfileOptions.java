package io.llmanalytics.schema;

/**
 * How much one streaming pass keeps.
 *
 * @param sampleRows rows kept as the sample
 * @param distinctBound distinct values counted exactly per column before estimating
 * @param topValues most frequent values reported per text column
 * @param maxCells refuse datasets with more cells than this
 */
public record ProfileOptions(int sampleRows, int distinctBound, int topValues, long maxCells) {}
