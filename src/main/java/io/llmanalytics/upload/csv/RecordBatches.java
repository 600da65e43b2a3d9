package io.llmanalytics.upload.csv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The records of a {@link CsvRecords}, parsed on a thread of their own while the caller profiles the ones before them:
 * a two-stage pipeline over a bounded queue of batches. The caller sees exactly the records, line numbers and errors
 * it would see reading {@link CsvRecords#next()} itself, in the same order: an error of the parse (an unclosed quote,
 * a record too long, a cell over the limit, undecodable bytes) is thrown by {@link #next()} only after every record
 * before it was handed out, so an earlier error of the caller's own (a ragged row) still comes first. Memory is bounded
 * by {@value #CAPACITY} batches of {@value #BATCH_ROWS} records and {@value #BATCH_CELLS} cells.
 */
final class RecordBatches implements AutoCloseable {

    static final int BATCH_ROWS = 2048;
    /**
     * Cells a batch holds at most (a record's cells are never split): a batch of a wide table has fewer rows. Rows
     * alone bounded nothing: 2,048 rows of 1,250 columns are 2.5 million strings a batch, and the batches queued held
     * 870 MB of a 1 GiB heap (issue 20).
     */
    static final int BATCH_CELLS = 32 * 1024;

    static final int CAPACITY = 4;

    /** Records and the physical line each starts on; {@code size} of them are filled. */
    static final class Batch {
        final String[][] rows = new String[BATCH_ROWS][];
        final long[] lines = new long[BATCH_ROWS];
        int size;
        /** Set on the last batch: the parse's error (null: the records ended). */
        Throwable failure;

        boolean last;
    }

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private volatile boolean cancelled;
    private boolean done;

    RecordBatches(CsvRecords records) {
        this.thread = Thread.ofPlatform().name("csv-records").daemon().unstarted(() -> produce(records));
        thread.start();
    }

    private void produce(CsvRecords records) {
        Batch batch = new Batch();
        int cells = 0;
        try {
            String[] record;
            while (!cancelled && (record = records.next()) != null) {
                batch.rows[batch.size] = record;
                batch.lines[batch.size] = records.line();
                cells += record.length;
                if (++batch.size == BATCH_ROWS || cells >= BATCH_CELLS) {
                    put(batch);
                    batch = new Batch();
                    cells = 0;
                }
            }
        } catch (Throwable e) {
            batch.failure = e;
        }
        batch.last = true;
        put(batch);
    }

    private void put(Batch batch) {
        try {
            while (!cancelled && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                // the consumer is busy: wait for room, or for close()
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next batch (possibly empty when it is the last), or null after the last; rethrows the parse's error. */
    Batch next() throws IOException {
        if (done) {
            return null;
        }
        Batch batch;
        try {
            batch = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading records", e);
        }
        if (batch.last) {
            done = true;
            if (batch.failure != null && batch.size == 0) {
                throw rethrow(batch.failure);
            }
        }
        return batch;
    }

    /** Throws the parse's error, if any, after the last batch's records were consumed. */
    void finish(Batch batch) throws IOException {
        if (batch.last && batch.failure != null) {
            throw rethrow(batch.failure);
        }
    }

    private static IOException rethrow(Throwable e) {
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new UncheckedIOException(new IOException(e));
    }

    @Override
    public void close() {
        cancelled = true;
        queue.clear();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
