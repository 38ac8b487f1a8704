package io.capstan.api;

import java.nio.ByteBuffer;

/**
 * Receives the PCM of one capture, in order, from a {@link CaptureBackend}.
 *
 * <p>Threading: all calls come from one thread at a time, the backend's capture thread (for the
 * native backends the real-time thread): implementations must not block for long, allocate or
 * log in {@link #write}. {@link #end} is called exactly once, after the last {@code write}.
 */
public interface FrameSink {

    /**
     * Takes whole frames from {@code frames} (position to limit; the remaining byte count is a
     * multiple of the stream's bytes per frame) and advances its position by what was taken.
     *
     * @return true to go on, false when the sink wants no more frames (a frame limit was
     *         reached); the backend then stops the capture and calls {@link #end}
     */
    boolean write(ByteBuffer frames);

    /**
     * The capture ended: normally ({@code failure == null}: stopped, or the source reached its
     * end) or with the failure that ended it.
     */
    void end(CaptureException failure);

    /** {@link #latencyNanos} of a sink that shows frames as they come, e.g. a level meter drawn 25 times a second: 40 ms. */
    long LIVE_LATENCY_NANOS = 40_000_000L;

    /** {@link #latencyNanos} of a sink that only stores frames: the backend may deliver them as late as it likes. */
    long ANY_LATENCY = Long.MAX_VALUE;

    /**
     * How long the backend may hold captured frames before {@link #write} receives them, in ns.
     * A backend that delivers in batches (the PipeWire backend drains its streams' buffer pools
     * on one thread) wakes less often for a sink that tolerates more; others may ignore this. It
     * may change while the capture runs (a take gains a level meter) and is read again for every
     * batch, from the thread that calls {@link #write}: keep it cheap and non-blocking.
     *
     * @return at least 1 ms; default {@link #LIVE_LATENCY_NANOS}
     */
    default long latencyNanos() {
        return LIVE_LATENCY_NANOS;
    }

    /** Kind of a {@link #gap}: the backend's buffer was full and audio was dropped. */
    String OVERRUN = "overrun";
    /** Kind of a {@link #gap}: the audio system skipped cycles (an xrun). */
    String XRUN = "xrun";

    /**
     * Audio is missing between the frames written so far and the next ones. Called from the same
     * thread as {@link #write} (never the real-time thread), in order with the writes.
     *
     * @param kind      {@link #OVERRUN} or {@link #XRUN}
     * @param takeFrame frames written before the gap
     * @param frames    length of the gap in frames
     */
    default void gap(String kind, long takeFrame, long frames) {
    }
}
