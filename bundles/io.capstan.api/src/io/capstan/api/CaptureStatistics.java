package io.capstan.api;

/**
 * What a backend counted while capturing (see {@link CaptureStream#statistics()}).
 *
 * @param callbacks            deliveries of audio by the audio system (process callbacks; for the native
 *                             PipeWire backend, which runs no callback, the buffers taken from its stream)
 * @param longestCallbackNanos the longest delivery (the backend's time to hand one delivery to storage), in ns
 * @param overruns             times audio was dropped because the capture's buffer was full
 * @param overrunFrames        frames dropped that way
 * @param xruns                cycles the audio system skipped (gaps in its clock)
 * @param xrunFrames           frames those gaps span
 * @param p99CallbackNanos     the 99th percentile of the delivery times, in ns (an upper bound within 12.5 %,
 *                             never above the longest; 0 when not measured)
 */
public record CaptureStatistics(long callbacks, long longestCallbackNanos, long overruns, long overrunFrames,
        long xruns, long xrunFrames, long p99CallbackNanos) {

    /** Nothing counted (backends that count nothing). */
    public static final CaptureStatistics NONE = new CaptureStatistics(0, 0, 0, 0, 0, 0, 0);

    /** Statistics without a percentile (backends that only keep the longest delivery). */
    public CaptureStatistics(long callbacks, long longestCallbackNanos, long overruns, long overrunFrames, long xruns,
            long xrunFrames) {
        this(callbacks, longestCallbackNanos, overruns, overrunFrames, xruns, xrunFrames, 0);
    }
}
