package io.llmanalytics.sources;

import io.llmanalytics.schema.CellKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Reads a result set on its own thread, decoding each cell to its canonical text ({@link ColumnReader}), and hands the
 * rows over in small batches through a bounded queue, so that the driver's decoding overlaps the schema pass and the
 * CSV write on the importing thread. Memory stays bounded: at most {@link #QUEUED} batches of {@link #BATCH} rows wait.
 * The batches come in result order; the last one is empty (or carries the failure that ended the read).
 */
final class RowFetcher implements Runnable {

    static final int BATCH = 512;
    static final int QUEUED = 4;

    /**
     * Rows {@code texts[0..size)}, each cell its canonical text or null for SQL NULL; {@code kinds} the kind of each
     * non-null cell where it varies by value (SQLite), else null (the reader's kind).
     */
    record Batch(int size, String[][] texts, CellKind[][] kinds, Exception failure) {}

    private final ResultSet rs;
    private final ColumnReader[] readers;
    private final BooleanSupplier cancelled;
    private final boolean perCellKinds;
    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
    private volatile boolean stopped;

    RowFetcher(ResultSet rs, ColumnReader[] readers, BooleanSupplier cancelled) {
        this.rs = rs;
        this.readers = readers;
        this.cancelled = cancelled;
        boolean varies = false;
        for (ColumnReader r : readers) {
            varies |= r instanceof ColumnReader.SqliteValue;
        }
        this.perCellKinds = varies;
    }

    @Override
    public void run() {
        int width = readers.length;
        try {
            long row = 0;
            boolean more = true;
            while (more && !stopped) {
                String[][] texts = new String[BATCH][];
                CellKind[][] kinds = perCellKinds ? new CellKind[BATCH][] : null;
                int size = 0;
                while (size < BATCH && (more = rs.next())) {
                    if ((++row & 1023) == 0 && (stopped || cancelled.getAsBoolean())) {
                        throw new SQLTimeoutException("cancelled", "57014");
                    }
                    String[] cells = new String[width];
                    CellKind[] cellKinds = perCellKinds ? new CellKind[width] : null;
                    for (int i = 0; i < width; i++) {
                        cells[i] = readers[i].read(rs, i + 1);
                        if (cellKinds != null && cells[i] != null) {
                            cellKinds[i] = readers[i].lastKind();
                        }
                    }
                    texts[size] = cells;
                    if (kinds != null) {
                        kinds[size] = cellKinds;
                    }
                    size++;
                }
                if (size > 0 && !hand(new Batch(size, texts, kinds, null))) {
                    return;
                }
            }
            end(null);
        } catch (SQLException | RuntimeException e) {
            end(e);
        }
    }

    /** The last batch: empty, with the failure that ended the read if any. */
    private void end(Exception failure) {
        try {
            put(new Batch(0, null, null, failure));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands a batch over; false when the thread was interrupted (the import is being torn down). */
    private boolean hand(Batch batch) {
        try {
            put(batch);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void put(Batch batch) throws InterruptedException {
        while (!stopped) {
            if (queue.offer(batch, 50, TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    /** The next batch in result order; an empty batch at the end. Rethrows what ended the read. */
    Batch next() throws SQLException {
        Batch batch;
        try {
            batch = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTimeoutException("interrupted", "57014");
        }
        if (batch.failure() instanceof SQLException e) {
            throw e;
        }
        if (batch.failure() instanceof RuntimeException e) {
            throw e;
        }
        return batch;
    }

    /** Tells the fetching thread to stop at its next row or hand-over, and frees the queue it may wait on. */
    void stop() {
        stopped = true;
        queue.clear();
    }
}
