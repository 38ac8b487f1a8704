package io.capstan.api;

/**
 * The take is recording, and what was asked ({@link ChunkStore#delete}, {@link ChunkStore#note})
 * needs it ended; the message says what to do.
 */
public class TakeRecordingException extends StorageException {
    private static final long serialVersionUID = 1L;

    /** @param needed what to do first, e.g. "stop it first (capstan stop-take ID), then remove it" */
    public TakeRecordingException(String takeId, String needed) {
        super("take '" + takeId + "' is recording; " + needed);
    }
}
