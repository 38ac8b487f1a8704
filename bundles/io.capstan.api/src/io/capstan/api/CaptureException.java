package io.capstan.api;

/** Capture could not start or failed while running. */
public class CaptureException extends CapstanException {
    private static final long serialVersionUID = 1L;

    public CaptureException(String message) {
        super(message);
    }

    public CaptureException(String message, Throwable cause) {
        super(message, cause);
    }
}
