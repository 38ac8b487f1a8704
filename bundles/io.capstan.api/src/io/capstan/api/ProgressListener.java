package io.capstan.api;

/** Progress of long work (export, verify), in units the caller names. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (done, total) -> true;

    /**
     * @param done  units done so far
     * @param total units in all
     * @return false to cancel the work
     */
    boolean worked(long done, long total);
}
