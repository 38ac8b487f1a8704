package io.capstan.backend.platform.pipewire.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

import com.sun.jna.Memory;

import io.capstan.backend.platform.NativeMemory;

/**
 * A single-producer single-consumer byte ring in native memory between PipeWire's real-time
 * thread (producer: {@link #write}, allocation- and lock-free: {@code memcpy} by direct mapping
 * and ordered stores) and the take's drain thread (consumer: {@link #drain}). Only whole frames
 * are written; what does not fit is dropped and reported to the caller as an overrun, never
 * blocked on.
 */
final class PcmRing {

    private final Memory memory;
    private final long base;
    private final int capacity;
    private final int bytesPerFrame;
    /** The whole ring as a buffer, made once; its position and limit frame what the consumer is handed. */
    private final ByteBuffer view;
    /** Bytes ever written (producer) and read (consumer); their difference is the fill. */
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong read = new AtomicLong();

    /** @param capacity bytes; rounded down to whole frames */
    PcmRing(int capacity, int bytesPerFrame) {
        this.bytesPerFrame = bytesPerFrame;
        this.capacity = capacity - capacity % bytesPerFrame;
        if (this.capacity < bytesPerFrame) {
            throw new IllegalArgumentException("ring of " + capacity + " bytes holds no frame of " + bytesPerFrame);
        }
        NativeMemory.bind();
        this.memory = NativeMemory.zeroed(this.capacity);
        this.base = NativeMemory.address(memory);
        this.view = memory.getByteBuffer(0, this.capacity);
    }

    /**
     * Producer: copies whole frames from native address {@code src}.
     *
     * @return bytes dropped because the ring was full (0 normally)
     */
    long write(long src, long bytes) {
        long n = bytes - bytes % bytesPerFrame;
        long w = written.get();
        long free = capacity - (w - read.get());
        long take = Math.min(n, free);
        if (take > 0) {
            int at = (int) (w % capacity);
            long first = Math.min(take, capacity - at);
            NativeMemory.memcpy(base + at, src, first);
            if (take > first) {
                NativeMemory.memcpy(base, src + first, take - first);
            }
            written.lazySet(w + take);
        }
        return n - take;
    }

    /**
     * Consumer: hands what the ring holds to {@code sink} (one or two windows onto the ring: the
     * same buffer each time, position to limit, valid only during the call), which returns how
     * many bytes it took (whole frames); stops early when the sink takes less than it was given.
     * Allocates nothing.
     *
     * @return bytes consumed
     */
    long drain(ToIntFunction<ByteBuffer> sink) {
        long total = 0;
        while (true) {
            long r = read.get();
            long available = written.get() - r;
            if (available <= 0) {
                return total;
            }
            int at = (int) (r % capacity);
            int len = (int) Math.min(available, capacity - at);
            view.limit(at + len).position(at);
            int took = sink.applyAsInt(view);
            read.lazySet(r + took);
            total += took;
            if (took < len) {
                return total;
            }
        }
    }

    /** @return bytes waiting to be drained */
    long available() {
        return written.get() - read.get();
    }

    int capacity() {
        return capacity;
    }

    /** Keeps the native memory alive until the ring itself is unreachable. */
    Memory memory() {
        return memory;
    }
}
