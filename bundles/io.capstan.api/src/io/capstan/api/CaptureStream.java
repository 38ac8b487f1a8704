package io.capstan.api;

/** A capture running in a backend, writing into a {@link FrameSink}. */
public interface CaptureStream {

    /**
     * Asks the capture to stop. Returns at once; the backend delivers what it still has and then
     * calls {@link FrameSink#end}. Calling it again, or after the end, does nothing.
     */
    void stop();

    /** @return true once {@link FrameSink#end} was called */
    boolean isEnded();

    /** @return what the backend counted so far (callbacks, overruns, xruns, longest callback) */
    default CaptureStatistics statistics() {
        return CaptureStatistics.NONE;
    }
}
