package io.llmanalytics.schema;

/**
 * One column's recent scans: a cell equal to one of the column's recent cells gets that cell's scan again (its kind,
 * value, integer, date and date family) instead of being scanned. Columns of dates, prices or quantities repeat a few
 * hundred values millions of times, and the CSV reader hands a repeated value over as the same {@code String} (its
 * {@code RepeatedTexts}), so most lookups end at an identity check (issue 20: on a 100 MB sales table, the profiling
 * thread's CPU fell by 15 to 25%). A scan depends on the cell's text alone (and on the builder's conventions, which are
 * the same for every cell), so a cell gets exactly the scan it would have had.
 *
 * <p>The scans sit in a small table, one slot per hash; a newer cell takes an older one's slot. A column whose first
 * {@value #TRIAL} lookups found fewer than half of their cells there (identifiers, measurements) stops looking and
 * lets its table go.
 */
final class RecentScans {

    /** Slots of the table: a power of two. */
    static final int SLOTS = 1024;

    /** Lookups before the column decides whether looking up pays. */
    static final int TRIAL = LookupTrial.LOOKUPS;

    private String[] cells = new String[SLOTS];
    private CellScanner.Scan[] scans = new CellScanner.Scan[SLOTS];
    private final LookupTrial trial = new LookupTrial();

    /** The kind of {@code cell}, with {@code scanner} left as its {@link CellScanner#scan} of the cell leaves it. */
    CellKind scan(String cell, CellScanner scanner) {
        if (cells == null) {
            return scanner.scan(cell);
        }
        int hash = cell.hashCode();
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        String known = cells[slot];
        if (known == cell || cell.equals(known)) {
            CellScanner.Scan scan = scans[slot];
            count(true); // may end the trial, and let the table go
            return scanner.restore(scan);
        }
        CellKind kind = scanner.scan(cell);
        cells[slot] = cell;
        scans[slot] = scanner.saved(kind);
        count(false);
        return kind;
    }

    private void count(boolean hit) {
        if (trial.fails(hit)) {
            cells = null;
            scans = null;
        }
    }

    /** Whether the column still looks its cells up. */
    boolean looking() {
        return cells != null;
    }
}
