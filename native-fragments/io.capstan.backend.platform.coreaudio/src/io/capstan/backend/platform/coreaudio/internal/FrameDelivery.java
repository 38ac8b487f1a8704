package io.capstan.backend.platform.coreaudio.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.capstan.api.FrameSink;

/**
 * Turns the buffers an input AudioQueue fills into whole frames for a {@link FrameSink}, on the
 * queue's real-time thread: no allocation, no locks, no logging. The samples are copied into a
 * pre-allocated direct buffer ({@code copier} moves native memory), whole frames go to the
 * sink, and a trailing partial frame (never seen for PCM, but not assumed away) is carried to
 * the next buffer. Counters are atomics read by other threads.
 */
final class FrameDelivery {

    /** Copies {@code bytes} from native {@code address} into {@code target} at its position. */
    @FunctionalInterface
    interface Copier {
        void copy(long address, ByteBuffer target, int bytes);
    }

    private final FrameSink sink;
    private final int bytesPerFrame;
    private final ByteBuffer staging;
    private final Copier copier;
    private final Runnable onSinkFull;
    private final AtomicLong buffers = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong overrunBytes = new AtomicLong();
    private final AtomicLong longestNanos = new AtomicLong();
    private volatile boolean accepting = true;

    /**
     * @param capacityBytes largest buffer the queue delivers plus one frame
     * @param copierFor     makes the copier into the given staging buffer (resolving its address once)
     * @param onSinkFull    called once when the sink wants no more frames (stops the queue, off this thread)
     */
    FrameDelivery(FrameSink sink, int bytesPerFrame, int capacityBytes, Function<ByteBuffer, Copier> copierFor,
            Runnable onSinkFull) {
        this.sink = sink;
        this.bytesPerFrame = bytesPerFrame;
        this.staging = ByteBuffer.allocateDirect(capacityBytes + bytesPerFrame);
        this.copier = copierFor.apply(staging);
        this.onSinkFull = onSinkFull;
    }

    /** The queue's callback: one filled buffer. */
    void onBuffer(long address, int byteCount) {
        long start = System.nanoTime();
        buffers.incrementAndGet();
        if (!accepting) {
            return;
        }
        int room = staging.remaining();
        int bytes = Math.min(byteCount, room);
        if (bytes < byteCount) {
            overrunBytes.addAndGet(byteCount - bytes);
        }
        copier.copy(address, staging, bytes);
        staging.position(staging.position() + bytes);
        staging.flip();
        int whole = staging.remaining() / bytesPerFrame * bytesPerFrame;
        int limit = staging.limit();
        staging.limit(whole);
        boolean more = sink.write(staging);
        int taken = staging.position();
        frames.addAndGet(taken / bytesPerFrame);
        staging.limit(limit);
        staging.compact();
        if (!more) {
            accepting = false;
            onSinkFull.run();
        }
        long took = System.nanoTime() - start;
        if (took > longestNanos.get()) {
            longestNanos.set(took);
        }
    }

    /** @return buffers delivered by the queue */
    long buffers() {
        return buffers.get();
    }

    /** @return frames handed to the sink */
    long frames() {
        return frames.get();
    }

    /** @return bytes dropped because the staging buffer was full (the sink fell behind) */
    long overrunBytes() {
        return overrunBytes.get();
    }

    /** @return the longest callback, ns */
    long longestNanos() {
        return longestNanos.get();
    }

    /** @return bytes of an incomplete frame waiting for the next buffer */
    int carriedBytes() {
        return staging.position();
    }
}
