package io.capstan.api;

/** The chunk store could not write, read, seal or export. */
public class StorageException extends CapstanException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
