package io.llmanalytics.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxSettingsTest {

    @Test
    void cpuTimeDefaultsToTheTimeoutRoundedUpPlusOneSecond() {
        TestSettings settings = new TestSettings();
        settings.timeout = Duration.ofMillis(4500);
        assertEquals(6, settings.build().cpuSeconds());
        settings.cpuTime = Duration.ofSeconds(3);
        assertEquals(3, settings.build().cpuSeconds());
    }

    @Test
    void invalidValuesAreRefusedNamingTheSetting() {
        TestSettings settings = new TestSettings();
        settings.timeout = Duration.ZERO;
        settings.maxOutput = 5;
        settings.concurrency = 0;
        settings.queueTimeout = Duration.ofSeconds(-1);
        settings.python = " ";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings::build);
        assertTrue(e.getMessage().contains("sandbox.timeout (MAX_EXECUTION_TIMEOUT) must be positive"), e.getMessage());
        assertTrue(
                e.getMessage().contains("sandbox.max-output (MAX_OUTPUT_SIZE) must be between 100 and 10000000, got 5"),
                e.getMessage());
        assertTrue(e.getMessage().contains("sandbox.concurrency must be between 1"), e.getMessage());
        assertTrue(e.getMessage().contains("sandbox.queue-timeout must be positive"), e.getMessage());
        assertTrue(e.getMessage().contains("sandbox.python"), e.getMessage());
    }

    @Test
    void moreBounds() {
        TestSettings settings = new TestSettings();
        settings.timeout = Duration.ofHours(2);
        settings.cpuTime = Duration.ofMillis(10);
        settings.grace = Duration.ofSeconds(-1);
        settings.memoryBudget = 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings::build);
        assertTrue(e.getMessage().contains("at most 1 hour"), e.getMessage());
        assertTrue(e.getMessage().contains("sandbox.cpu-time must be at least 1 second"), e.getMessage());
        assertTrue(e.getMessage().contains("sandbox.grace must not be negative"), e.getMessage());
        assertTrue(e.getMessage().contains("sandbox.memory-budget"), e.getMessage());
    }
}
