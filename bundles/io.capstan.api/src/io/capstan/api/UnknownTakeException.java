package io.capstan.api;

/** No take has the requested id. */
public class UnknownTakeException extends StorageException {
    private static final long serialVersionUID = 1L;

    public UnknownTakeException(String takeId) {
        super("no take '" + takeId + "'; run 'capstan takes' to list the takes");
    }
}
