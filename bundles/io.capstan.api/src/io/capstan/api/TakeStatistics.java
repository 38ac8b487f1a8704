package io.capstan.api;

/**
 * What happened during one take, counted by the backend and the capture service.
 *
 * @param callbacks            times the backend delivered audio (PipeWire process callbacks; 0 where
 *                             the backend does not count them, e.g. a sidecar)
 * @param frames               frames stored
 * @param bytes                PCM bytes stored
 * @param chunks               chunks sealed
 * @param overruns             times audio was dropped because the take's buffer was full
 * @param overrunFrames        frames dropped by overruns
 * @param xruns                times the audio system skipped a cycle (a gap in its clock)
 * @param xrunFrames           frames missing because of xruns
 * @param longestCallbackNanos the longest single delivery of audio, in ns (0 when not measured)
 * @param p99CallbackNanos     the 99th percentile of the delivery times, in ns (0 when not measured)
 */
public record TakeStatistics(long callbacks, long frames, long bytes, int chunks, long overruns, long overrunFrames,
        long xruns, long xrunFrames, long longestCallbackNanos, long p99CallbackNanos) {

    /** Statistics without a percentile. */
    public TakeStatistics(long callbacks, long frames, long bytes, int chunks, long overruns, long overrunFrames,
            long xruns, long xrunFrames, long longestCallbackNanos) {
        this(callbacks, frames, bytes, chunks, overruns, overrunFrames, xruns, xrunFrames, longestCallbackNanos, 0);
    }

    public TakeStatistics {
        if (callbacks < 0 || frames < 0 || bytes < 0 || chunks < 0 || overruns < 0 || overrunFrames < 0 || xruns < 0
                || xrunFrames < 0 || longestCallbackNanos < 0 || p99CallbackNanos < 0) {
            throw new IllegalArgumentException("statistics cannot be negative");
        }
    }

    @Override
    public String toString() {
        return String.format("%d callbacks, %d frames, %d bytes, %d chunks, %d overruns (%d frames), %d xruns"
                + " (%d frames), longest callback %.3f ms%s", callbacks, frames, bytes, chunks, overruns, overrunFrames,
                xruns, xrunFrames, longestCallbackNanos / 1e6,
                p99CallbackNanos > 0 ? String.format(" (p99 %.3f ms)", p99CallbackNanos / 1e6) : "");
    }
}
