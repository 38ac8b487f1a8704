package io.capstan.capture.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-producer single-consumer byte ring: the capture thread {@link #offer}s (no locks, no
 * allocation), the metering thread {@link #drain}s. What does not fit is dropped and counted.
 */
final class ByteRing {

    private final byte[] data;
    private final int unit;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    /** @param unit bytes that are kept together (a frame); capacity is rounded down to a multiple */
    ByteRing(int capacity, int unit) {
        this.unit = unit;
        this.data = new byte[Math.max(unit, capacity / unit * unit)];
    }

    /** Copies as many whole units of {@code src} (position to limit) as fit; leaves src's position. */
    void offer(ByteBuffer src) {
        offer(src, src.position(), src.remaining());
    }

    /** Copies as many whole units of {@code length} bytes at absolute {@code offset} of {@code src} as fit. */
    void offer(ByteBuffer src, int offset, int length) {
        long w = written.get();
        long free = data.length - (w - read.get());
        int n = (int) Math.min(length, free) / unit * unit;
        dropped.addAndGet(length - n);
        int at = (int) (w % data.length);
        int first = Math.min(n, data.length - at);
        src.get(offset, data, at, first);
        src.get(offset + first, data, 0, n - first);
        written.lazySet(w + n);
    }

    /** Hands everything written so far to {@code consumer}, in at most two pieces. */
    void drain(java.util.function.Consumer<ByteBuffer> consumer) {
        long r = read.get();
        int n = (int) (written.get() - r);
        if (n == 0) {
            return;
        }
        int at = (int) (r % data.length);
        int first = Math.min(n, data.length - at);
        consumer.accept(ByteBuffer.wrap(data, at, first));
        if (n > first) {
            consumer.accept(ByteBuffer.wrap(data, 0, n - first));
        }
        read.lazySet(r + n);
    }

    /** @return bytes dropped because the ring was full */
    long dropped() {
        return dropped.get();
    }
}
