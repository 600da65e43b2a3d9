package io.llmanalytics.access;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llmanalytics.problem.ProblemException;
import io.quarkus.runtime.configuration.MemorySize;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The counters per caller, on a clock the test moves. */
class CallerLimitsTest {

    static final long SECOND = 1_000_000_000L;

    final AtomicLong now = new AtomicLong(1_000 * SECOND);

    record Limits(int uploadsPerMinute, int analysesPerMinute, int concurrentStreams, int maxCallers)
            implements AccessConfig.Limits {
        @Override
        public MemorySize storedBytes() {
            return new MemorySize(java.math.BigInteger.ZERO);
        }

        @Override
        public MemorySize jsonBodySize() {
            return new MemorySize(java.math.BigInteger.valueOf(65536));
        }
    }

    CallerLimits limits(int uploads, int analyses, int streams, int callers) {
        return new CallerLimits(new Limits(uploads, analyses, streams, callers), now::get);
    }

    static final Caller ANN = new Caller("ann", true);
    static final Caller BEN = new Caller("10.0.0.2", false);

    @Test
    void theWindowSlidesAndRetryAfterIsWhatIsLeftOfIt() {
        CallerLimits limits = limits(3, 0, 0, 100);
        limits.admitUpload(ANN);
        now.addAndGet(10 * SECOND);
        limits.admitUpload(ANN);
        limits.admitUpload(ANN);
        now.addAndGet(20 * SECOND);
        ProblemException refused = assertThrows(ProblemException.class, () -> limits.admitUpload(ANN));
        assertEquals(429, refused.problem().status());
        assertEquals(
                Duration.ofSeconds(30),
                refused.retryAfter().orElseThrow(),
                "the first upload leaves the window in 30 s");
        assertTrue(refused.getMessage().contains("3 uploads per minute"), refused.getMessage());
        assertTrue(refused.getMessage().contains("Try again in 30 s"), refused.getMessage());
        limits.admitUpload(BEN); // others are counted apart
        now.addAndGet(30 * SECOND);
        limits.admitUpload(ANN); // the first one left the window
        ProblemException again = assertThrows(ProblemException.class, () -> limits.admitUpload(ANN));
        assertEquals(Duration.ofSeconds(10), again.retryAfter().orElseThrow());
    }

    @Test
    void analysesAreCountedApartFromUploads() {
        CallerLimits limits = limits(1, 2, 0, 100);
        limits.admitUpload(ANN);
        limits.admitAnalysis(ANN);
        limits.admitAnalysis(ANN);
        ProblemException refused = assertThrows(ProblemException.class, () -> limits.admitAnalysis(ANN));
        assertTrue(refused.getMessage().contains("RATE_LIMIT_ANALYSES_PER_MINUTE=2"), refused.getMessage());
        assertEquals(Duration.ofSeconds(60), refused.retryAfter().orElseThrow());
    }

    @Test
    void zeroTurnsALimitOff() {
        CallerLimits limits = limits(0, 0, 0, 100);
        for (int i = 0; i < 1000; i++) {
            limits.admitUpload(ANN);
            limits.admitAnalysis(ANN);
            limits.openStream(ANN);
        }
        assertEquals(0, limits.tracked());
    }

    @Test
    void streamSlotsAreTakenAndGivenBackOnce() {
        CallerLimits limits = limits(0, 0, 2, 100);
        Runnable first = limits.openStream(ANN);
        Runnable second = limits.openStream(ANN);
        ProblemException refused = assertThrows(ProblemException.class, () -> limits.openStream(ANN));
        assertEquals(CallerLimits.STREAM_RETRY, refused.retryAfter().orElseThrow());
        assertEquals(2, limits.streams(ANN));
        first.run();
        first.run(); // a second release changes nothing
        assertEquals(1, limits.streams(ANN));
        Runnable third = limits.openStream(ANN);
        assertThrows(ProblemException.class, () -> limits.openStream(ANN));
        second.run();
        third.run();
        assertEquals(0, limits.streams(ANN));
    }

    @Test
    void aSlotNeverGivenBackIsTakenBackAfterFifteenMinutes() {
        CallerLimits limits = limits(0, 0, 1, 100);
        limits.openStream(ANN); // its release never comes
        now.addAndGet(14 * 60 * SECOND);
        assertThrows(ProblemException.class, () -> limits.openStream(ANN));
        now.addAndGet(60 * SECOND);
        Runnable next = limits.openStream(ANN);
        next.run();
        assertEquals(0, limits.streams(ANN));
    }

    @Test
    void idleCallersAreForgottenAndMemoryIsBounded() {
        CallerLimits limits = limits(5, 5, 5, 3);
        Runnable running = limits.openStream(ANN);
        limits.admitUpload(BEN);
        now.addAndGet(59 * SECOND);
        limits.sweep();
        assertEquals(2, limits.tracked(), "nothing is idle for a minute yet");
        now.addAndGet(2 * SECOND);
        limits.sweep();
        assertEquals(1, limits.tracked(), "Ben is forgotten; Ann has an analysis running");
        running.run();
        now.addAndGet(61 * SECOND);
        limits.sweep();
        assertEquals(0, limits.tracked());

        for (int i = 0; i < 10; i++) {
            limits.admitUpload(new Caller("10.0.1." + i, false));
            now.addAndGet(SECOND);
        }
        assertTrue(limits.tracked() <= 3, "at most maxCallers are kept: " + limits.tracked());
        assertDoesNotThrow(() -> limits.admitUpload(new Caller("10.0.1.9", false)));
    }

    @Test
    void aRunningStreamKeepsItsCallerEvenWhenFull() {
        CallerLimits limits = limits(5, 5, 1, 1);
        Runnable running = limits.openStream(ANN);
        limits.admitUpload(BEN);
        assertEquals(1, limits.streams(ANN), "Ann's slot survives making room for Ben");
        assertThrows(ProblemException.class, () -> limits.openStream(ANN));
        running.run();
        assertFalse(limits.streams(ANN) > 0);
    }

    @Test
    void uploadPaceIsJudgedAfterTheWindowOverTheLastWindow() {
        long start = now.get();
        UploadPace pace = new UploadPace(1000, 10 * SECOND, start);
        // fast at first
        assertFalse(pace.tooSlow(start + SECOND, 50_000));
        for (int s = 2; s < 10; s++) {
            assertFalse(pace.tooSlow(start + s * SECOND, 50_000), "never judged within the first window");
        }
        // 50 KB in the first 10 s: still fast enough on average over the window
        assertFalse(pace.tooSlow(start + 10 * SECOND, 50_000));
        // then it stalls: once the fast second has left the window the average falls under the floor
        boolean cut = false;
        for (int s = 11; s <= 13 && !cut; s++) {
            cut = pace.tooSlow(start + s * SECOND, 50_000);
        }
        assertTrue(cut, "a stalled upload is cut off");
        assertEquals(0, pace.rate(start + 13 * SECOND, 50_000));

        UploadPace steady = new UploadPace(1000, 10 * SECOND, start);
        for (int s = 1; s <= 60; s++) {
            assertFalse(steady.tooSlow(start + s * SECOND, s * 1200L), "1200 B/s is above the floor at " + s + " s");
        }
        UploadPace slow = new UploadPace(1000, 10 * SECOND, start);
        boolean slowCut = false;
        for (int s = 1; s <= 10 && !slowCut; s++) {
            slowCut = slow.tooSlow(start + s * SECOND, s * 800L);
        }
        assertTrue(slowCut, "800 B/s is cut at the end of the first window");
    }
}
