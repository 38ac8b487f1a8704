package io.capstan.api;

import java.time.Duration;

/** A take being recorded. Thread-safe. */
public interface ActiveTake {

    /** @return the take id */
    String id();

    /** @return the device recorded from */
    Device device();

    /** @return the format recorded in */
    AudioFormat format();

    /** @return the state now */
    TakeState state();

    /** @return frames stored so far */
    long frames();

    /** @return chunks sealed so far */
    int chunks();

    /** Asks the take to stop; returns at once. The take ends once the backend delivered the rest. */
    void stop();

    /**
     * Waits for the take to end.
     *
     * @return the final take (COMPLETE or FAILED; its {@code reason} says why)
     * @throws CaptureException     when it did not end within the timeout
     * @throws InterruptedException when the calling thread is interrupted
     */
    Take awaitEnd(Duration timeout) throws CaptureException, InterruptedException;

    /**
     * @return what was counted so far; after the end, the final figures. Default: frames and
     *         chunks only
     */
    default TakeStatistics statistics() {
        long frames = frames();
        return new TakeStatistics(0, frames, frames * format().bytesPerFrame(), chunks(), 0, 0, 0, 0, 0);
    }
}
