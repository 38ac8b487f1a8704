package io.capstan.backend.platform.pipewire.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Durations of deliveries (one buffer handed to storage) in a fixed log-linear histogram: 8 buckets
 * per power of two (each bucket spans at most 12.5 % of its lower bound), from 1 ns to about 18
 * minutes. One writer (the drain thread: no allocation, no lock, ordered stores); any thread reads
 * percentiles.
 */
final class CallbackTimes {

    static final int BUCKETS = 320;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Writer thread only: counts one duration. */
    void record(long nanos) {
        int i = bucket(nanos);
        counts.lazySet(i, counts.get(i) + 1);
    }

    /**
     * @param fraction e.g. 0.99
     * @return the upper bound of the bucket holding that fraction of the durations (0 when none)
     */
    long percentile(double fraction) {
        long[] c = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = counts.get(i);
            total += c[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += c[i];
            if (seen >= rank) {
                return lowerBound(i + 1) - 1;
            }
        }
        return lowerBound(BUCKETS) - 1;
    }

    static int bucket(long nanos) {
        long v = Math.max(nanos, 0);
        if (v < 8) {
            return (int) v;
        }
        int msb = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v >>> (msb - 3)) & 7);
        return Math.min((msb - 2) * 8 + sub, BUCKETS - 1);
    }

    /** @return the smallest duration that falls into bucket i */
    static long lowerBound(int i) {
        if (i < 8) {
            return i;
        }
        int msb = i / 8 + 2;
        return (8L + i % 8) << (msb - 3);
    }
}
