package io.capstan.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;

import io.capstan.cli.Cli;

/**
 * Ends a command with an exit status and one line for standard error (none when null).
 */
final class Exit extends Exception {

    private static final long serialVersionUID = 1L;
    private final int status;
    /** The protocol's error object, for {@code --json}; null for the command line's own errors. */
    private final transient JsonNode error;

    Exit(int status, String message) {
        this(status, message, null);
    }

    private Exit(int status, String message, JsonNode error) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    /** From a protocol error: bad arguments are usage errors (2), everything else a failure (1). */
    static Exit of(JsonNode error) {
        String code = error.path("code").asText("");
        int status = switch (code) {
            case "BAD_ARGUMENT", "BAD_REQUEST", "UNKNOWN_COMMAND" -> Cli.USAGE;
            default -> Cli.FAILED;
        };
        return new Exit(status, error.path("message").asText(code), error);
    }

    int status() {
        return status;
    }

    JsonNode error() {
        return error;
    }
}
