package io.llmanalytics.access;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Whether an upload arrives fast enough: after the first {@code window}, the bytes received over the last
 * {@code window} must average at least {@code floor} per second. Fed with samples of the bytes read so far.
 */
final class UploadPace {

    private record Sample(long nanos, long bytes) {}

    private final long floorBytesPerSecond;
    private final long windowNanos;
    private final long start;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    UploadPace(long floorBytesPerSecond, long windowNanos, long start) {
        this.floorBytesPerSecond = floorBytesPerSecond;
        this.windowNanos = windowNanos;
        this.start = start;
        samples.add(new Sample(start, 0));
    }

    /** Records that {@code bytes} were read by {@code now}; true when the upload is slower than the floor. */
    synchronized boolean tooSlow(long now, long bytes) {
        samples.addLast(new Sample(now, bytes));
        // keep the newest sample that is at least a window old, as the start of the window
        while (samples.size() > 2 && now - second().nanos() >= windowNanos) {
            samples.removeFirst();
        }
        if (now - start < windowNanos) {
            return false;
        }
        Sample from = samples.peekFirst();
        double seconds = (now - from.nanos()) / 1e9;
        return seconds > 0 && (bytes - from.bytes()) / seconds < floorBytesPerSecond;
    }

    private Sample second() {
        Iterator<Sample> it = samples.iterator();
        it.next();
        return it.next();
    }

    /** The average rate over the current window, bytes per second (for the problem detail). */
    synchronized long rate(long now, long bytes) {
        Sample from = samples.peekFirst();
        double seconds = Math.max(1e-9, (now - from.nanos()) / 1e9);
        return (long) ((bytes - from.bytes()) / seconds);
    }
}
