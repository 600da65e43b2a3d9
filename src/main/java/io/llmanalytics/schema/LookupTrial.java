package io.llmanalytics.schema;

/**
 * Whether a column's table of recent values pays: over the column's first {@value #LOOKUPS} lookups, at least half must
 * find their value there (categories, dates, prices do; identifiers and measurements do not). Used by the CSV reader's
 * shared texts and the profile's recent scans.
 */
public final class LookupTrial {

    /** Lookups before the column decides. */
    public static final int LOOKUPS = 4096;

    private int looked;
    private int found;

    /** Counts a lookup that found its value or not; true exactly when it ends the trial and the table does not pay. */
    public boolean fails(boolean hit) {
        if (looked == LOOKUPS) {
            return false;
        }
        looked++;
        if (hit) {
            found++;
        }
        return looked == LOOKUPS && found < LOOKUPS / 2;
    }
}
