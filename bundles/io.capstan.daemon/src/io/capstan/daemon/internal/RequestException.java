package io.capstan.daemon.internal;

/** A request that gets an error reply: a stable code (docs/PROTOCOL.md) and what to do. */
final class RequestException extends Exception {

    private static final long serialVersionUID = 1L;

    static final String BAD_JSON = "BAD_JSON";
    static final String LINE_TOO_LONG = "LINE_TOO_LONG";
    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String UNKNOWN_COMMAND = "UNKNOWN_COMMAND";
    static final String BAD_ARGUMENT = "BAD_ARGUMENT";
    static final String UNKNOWN_DEVICE = "UNKNOWN_DEVICE";
    static final String UNKNOWN_TAKE = "UNKNOWN_TAKE";
    static final String CAPTURE_FAILED = "CAPTURE_FAILED";
    static final String STORAGE_FAILED = "STORAGE_FAILED";
    static final String TAKE_RECORDING = "TAKE_RECORDING";
    static final String NOT_HERE = "NOT_HERE";
    static final String ALREADY_SUBSCRIBED = "ALREADY_SUBSCRIBED";
    static final String NOT_PERMITTED = "NOT_PERMITTED";
    static final String INTERNAL = "INTERNAL";

    private final String code;

    RequestException(String code, String message) {
        super(message);
        this.code = code;
    }

    String code() {
        return code;
    }
}
