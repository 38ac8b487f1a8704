package io.capstan.backend.platform.pipewire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Gap finding from time reports (plain logic: batches as the drain sees them). */
class GapClockTest {

    @Test
    void contiguousBatchesHaveNoGap() {
        GapClock clock = new GapClock(48_000);
        assertEquals(0, clock.batch(1024, 48_000, 2048, 1024)); // first batch: buffers at 0 and 1024
        assertEquals(0, clock.batch(4096, 48_000, 3072, 1024)); // 2048, 3072, 4096
        assertEquals(0, clock.batch(5120, 48_000, 1024, 1024));
    }

    @Test
    void skippedCyclesBeforeABatchAreItsGap() {
        GapClock clock = new GapClock(48_000);
        clock.batch(1024, 48_000, 2048, 1024); // ends at 2048
        // next batch: two buffers ending at 7168, i.e. starting at 5120: 3072 frames never came
        assertEquals(3072, clock.batch(6144, 48_000, 2048, 1024));
        assertEquals(0, clock.batch(7168, 48_000, 1024, 1024));
    }

    @Test
    void theFirstBatchIsNeverAGap() {
        assertEquals(0, new GapClock(48_000).batch(1_000_000, 48_000, 1024, 1024));
    }

    @Test
    void emptyBatchesAndUnknownRatesAreSkipped() {
        GapClock clock = new GapClock(48_000);
        clock.batch(0, 48_000, 1024, 1024);
        assertEquals(0, clock.batch(0, 48_000, 0, 0));
        assertEquals(0, clock.batch(99_999, 0, 1024, 1024));
    }

    @Test
    void withRateConversionSmallDifferencesAreNotGapsButLostCyclesAre() {
        GapClock clock = new GapClock(44_100); // the stream at 44.1 kHz, the graph at 48 kHz
        clock.batch(0, 48_000, 941, 941); // 1024 ticks ≈ 940.8 frames
        assertEquals(0, clock.batch(1024, 48_000, 940, 940)); // a frame short: resampler jitter
        long lost = clock.batch(2048 + 4096, 48_000, 941, 941); // 4 cycles skipped
        assertEquals(4096 * 44_100 / 48_000.0, lost, 2.0);
    }
}
