package io.capstan.backend.platform.pipewire.internal;

/**
 * Finds the audio a capture stream did not get, from PipeWire's time reports: every batch of
 * buffers the drain takes ends at the graph position {@code ticks} of its last buffer (in graph
 * ticks, {@code 1/graphRate} s) plus that buffer's length, and starts where the previous batch
 * ended; any distance between the two is audio that never reached the stream (the graph skipped
 * cycles, or the stream's buffers were all waiting for the drain). Plain logic, drain thread only.
 *
 * <p>With equal rates the check is exact to the frame. When PipeWire converts the rate, buffer
 * lengths vary by a frame or so around the ratio, so a distance below half a buffer is not a gap.
 */
final class GapClock {

    private final long streamRate;
    private long expectedTicks = -1;

    /** @param streamRate frames per second of the stream (the take's rate) */
    GapClock(long streamRate) {
        this.streamRate = streamRate;
    }

    /**
     * One batch of buffers taken from the stream.
     *
     * @param ticks       graph position of the batch's last buffer (from {@code pw_time.ticks})
     * @param graphRate   ticks per second ({@code pw_time.rate.denom}); 0 or less: unknown, no check
     * @param batchFrames frames in the batch's buffers
     * @param lastFrames  frames in its last buffer
     * @return frames missing before this batch (0 when none)
     */
    long batch(long ticks, long graphRate, long batchFrames, long lastFrames) {
        if (graphRate <= 0 || batchFrames <= 0) {
            return 0;
        }
        long end = ticks + toTicks(lastFrames, graphRate);
        long start = end - toTicks(batchFrames, graphRate);
        long missing = expectedTicks < 0 ? 0 : start - expectedTicks;
        expectedTicks = end;
        long tolerance = graphRate == streamRate ? 0 : toTicks(lastFrames, graphRate) / 2;
        if (missing <= tolerance) {
            return 0;
        }
        return graphRate == streamRate ? missing : Math.round(missing * (double) streamRate / graphRate);
    }

    private long toTicks(long frames, long graphRate) {
        return graphRate == streamRate ? frames : Math.round(frames * (double) graphRate / streamRate);
    }
}
