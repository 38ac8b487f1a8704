package io.capstan.backend.platform.pipewire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CallbackTimesTest {

    @Test
    void bucketsAreContiguousAndAtMostAnEighthWide() {
        for (int i = 0; i < CallbackTimes.BUCKETS - 1; i++) {
            long lo = CallbackTimes.lowerBound(i);
            long next = CallbackTimes.lowerBound(i + 1);
            assertEquals(i, CallbackTimes.bucket(lo), "bucket of the lower bound of " + i);
            assertEquals(i, CallbackTimes.bucket(next - 1), "bucket of the upper bound of " + i);
            assertTrue(next - lo <= Math.max(1, lo / 8), "bucket " + i + " is " + (next - lo) + " wide at " + lo);
        }
        assertEquals(CallbackTimes.BUCKETS - 1, CallbackTimes.bucket(Long.MAX_VALUE));
        assertEquals(0, CallbackTimes.bucket(-5));
    }

    @Test
    void p99IsAnUpperBoundWithinAnEighth() {
        CallbackTimes t = new CallbackTimes();
        assertEquals(0, t.percentile(0.99));
        // 1..1000 us: the 99th percentile is 990 us.
        for (int us = 1; us <= 1000; us++) {
            t.record(us * 1000L);
        }
        long p99 = t.percentile(0.99);
        assertTrue(p99 >= 990_000 && p99 <= 990_000 * 9 / 8, "p99 " + p99);
        long max = t.percentile(1.0);
        assertTrue(max >= 1_000_000 && max <= 1_000_000 * 9 / 8, "max " + max);
    }
}
