package io.capstan.api;

/** Base of Capstan's checked exceptions. Messages say what went wrong and what to do. */
public class CapstanException extends Exception {
    private static final long serialVersionUID = 1L;

    public CapstanException(String message) {
        super(message);
    }

    public CapstanException(String message, Throwable cause) {
        super(message, cause);
    }
}
