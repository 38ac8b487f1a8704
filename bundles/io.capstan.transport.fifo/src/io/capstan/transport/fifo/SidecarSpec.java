package io.capstan.transport.fifo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What sidecar to run and how to read it.
 *
 * @param name              short label for thread names and messages, e.g. {@code pw-record};
 *                          1 to 64 characters, no whitespace or control characters
 * @param command           argv; every occurrence of {@value #FIFO_PLACEHOLDER} in an argument
 *                          is replaced by the FIFO path; not empty
 * @param stdoutToFifo      true: the process's standard output is the FIFO
 *                          ({@code pw-record ... -}); false: the command names the FIFO through
 *                          {@value #FIFO_PLACEHOLDER} and opens it itself, and its standard
 *                          output is read together with its standard error
 * @param bytesPerFrame     frame size in bytes (channels × bytes per sample), 1 to 4096
 * @param firstDataTimeout  fail if no byte arrives within this after the start (positive);
 *                          null: the configured default (2 s)
 * @param environment       extra environment variables for the process; null: none
 */
public record SidecarSpec(String name, List<String> command, boolean stdoutToFifo, int bytesPerFrame,
        Duration firstDataTimeout, Map<String, String> environment) {

    /** Placeholder in {@link #command()} arguments for the FIFO path. */
    public static final String FIFO_PLACEHOLDER = "{fifo}";
    /** Largest accepted {@link #bytesPerFrame()}. */
    public static final int MAX_BYTES_PER_FRAME = 4096;
    /** Longest accepted {@link #name()}. */
    public static final int MAX_NAME_LENGTH = 64;

    public SidecarSpec {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH
                || name.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("sidecar name must be 1 to " + MAX_NAME_LENGTH
                    + " characters without whitespace: '" + name + "'");
        }
        if (command == null || command.isEmpty() || command.stream().anyMatch(Objects::isNull) || command.get(0).isBlank()) {
            throw new IllegalArgumentException("sidecar " + name + ": command must name a program: " + command);
        }
        command = List.copyOf(command);
        if (!stdoutToFifo && command.stream().noneMatch(a -> a.contains(FIFO_PLACEHOLDER))) {
            throw new IllegalArgumentException("sidecar " + name + ": without stdoutToFifo the command must contain "
                    + FIFO_PLACEHOLDER + " where the FIFO path goes: " + command);
        }
        if (bytesPerFrame < 1 || bytesPerFrame > MAX_BYTES_PER_FRAME) {
            throw new IllegalArgumentException("sidecar " + name + ": bytes per frame " + bytesPerFrame
                    + " is out of range 1.." + MAX_BYTES_PER_FRAME);
        }
        if (firstDataTimeout != null && (firstDataTimeout.isNegative() || firstDataTimeout.isZero())) {
            throw new IllegalArgumentException("sidecar " + name + ": first data timeout must be positive: "
                    + firstDataTimeout);
        }
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /**
     * A sidecar writing to its standard output, with the default first-data timeout and no extra
     * environment.
     */
    public static SidecarSpec ofStdout(String name, int bytesPerFrame, List<String> command) {
        return new SidecarSpec(name, command, true, bytesPerFrame, null, null);
    }
}
