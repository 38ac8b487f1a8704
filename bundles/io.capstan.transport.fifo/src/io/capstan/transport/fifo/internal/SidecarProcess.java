package io.capstan.transport.fifo.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.capstan.api.CaptureException;
import io.capstan.transport.fifo.SidecarSpec;

/**
 * One running sidecar process: spawn, standard error drained on its own thread into a bounded
 * tail, SIGTERM, SIGKILL, exit status.
 *
 * <p>Threading: thread-safe.
 */
final class SidecarProcess {

    /** Lines of standard error kept for failure messages. */
    static final int TAIL_LINES = 10;
    /** Characters kept of one standard error line. */
    static final int MAX_LINE = 300;

    /** Packages providing well-known sidecar programs, for the message when one is missing. */
    private static final Map<String, String> PROVIDERS = Map.of(
            "pw-record", "pipewire-bin (Debian, Ubuntu) or pipewire-utils (Fedora) or pipewire (Arch)",
            "pw-cat", "pipewire-bin (Debian, Ubuntu) or pipewire-utils (Fedora) or pipewire (Arch)",
            "parec", "pulseaudio-utils",
            "arecord", "alsa-utils");

    private final String name;
    private final List<String> command;
    private final Process process;
    private final InputStream diagnostics;
    private final Thread drainer;
    private final ArrayDeque<String> tail = new ArrayDeque<>();

    private SidecarProcess(String name, List<String> command, Process process, InputStream diagnostics) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.diagnostics = diagnostics;
        this.drainer = Thread.ofPlatform().name("capstan-fifo-" + name + "-stderr").daemon(true).unstarted(this::drain);
    }

    /**
     * Spawns the sidecar. The FIFO must already be open for reading: with
     * {@link SidecarSpec#stdoutToFifo()} the JVM opens it for writing here, which then returns at
     * once instead of waiting for a reader.
     *
     * @throws CaptureException when the program cannot be run; the message names the command and
     *                          what to install
     */
    static SidecarProcess start(SidecarSpec spec, Path fifo) throws CaptureException {
        List<String> argv = spec.command().stream()
                .map(a -> a.replace(SidecarSpec.FIFO_PLACEHOLDER, fifo.toString())).toList();
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(spec.environment());
        if (spec.stdoutToFifo()) {
            builder.redirectOutput(fifo.toFile());
        } else {
            builder.redirectErrorStream(true);
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            String program = argv.get(0);
            String simple = Path.of(program).getFileName().toString();
            String install = PROVIDERS.containsKey(simple) ? "install " + PROVIDERS.get(simple)
                    : "install the program that provides '" + simple + "'";
            throw new CaptureException("cannot start sidecar " + spec.name() + ": '" + program + "' could not be run ("
                    + e.getMessage() + "); " + install + ", or put it on PATH. Command: " + String.join(" ", argv), e);
        }
        try {
            process.getOutputStream().close(); // the sidecar's stdin: at EOF, nothing to read
        } catch (IOException e) {
            // nothing to close properly; the process goes on
        }
        // standard error; without stdoutToFifo standard output is merged into it
        InputStream diagnostics = spec.stdoutToFifo() ? process.getErrorStream() : process.getInputStream();
        SidecarProcess sidecar = new SidecarProcess(spec.name(), argv, process, diagnostics);
        sidecar.drainer.start();
        return sidecar;
    }

    /** @return the command actually run, for messages */
    String commandLine() {
        return String.join(" ", command);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM (Process.destroy()); nothing when it has exited. */
    void terminate() {
        process.destroy();
    }

    /** Sends SIGKILL (Process.destroyForcibly()); nothing when it has exited. */
    void kill() {
        process.destroyForcibly();
    }

    /**
     * Waits up to {@code timeout} for the process to exit. An interrupt ends the wait early and
     * stays set on the thread.
     *
     * @return true when it has exited
     */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** @return the exit status (128 + signal when killed by a signal), or null while it runs */
    Integer exitStatus() {
        return process.isAlive() ? null : process.exitValue();
    }

    /**
     * Waits up to {@code timeout} for standard error to reach its end (a grandchild may hold it
     * open), then returns its last lines.
     */
    List<String> stderrTail(Duration timeout) {
        try {
            drainer.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (tail) {
            return new ArrayList<>(tail);
        }
    }

    /** @return e.g. "status 3" or "status 137 (killed by signal 9, SIGKILL)" */
    static String describeStatus(int status) {
        if (status > 128 && status < 128 + 65) {
            int signal = status - 128;
            String signalName = switch (signal) {
                case 1 -> ", SIGHUP";
                case 2 -> ", SIGINT";
                case 3 -> ", SIGQUIT";
                case 6 -> ", SIGABRT";
                case 9 -> ", SIGKILL";
                case 11 -> ", SIGSEGV";
                case 13 -> ", SIGPIPE";
                case 15 -> ", SIGTERM";
                default -> "";
            };
            return "status " + status + " (killed by signal " + signal + signalName + ")";
        }
        return "status " + status;
    }

    /** Runs on the drainer thread: reads standard error to its end, keeping the last lines. */
    private void drain() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try (InputStream in = diagnostics) {
            for (int n; (n = in.read(chunk)) >= 0;) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        keep(line);
                    } else if (line.size() < MAX_LINE * 4) {
                        line.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // the stream closed under us: keep what we have
        } finally {
            keep(line);
        }
    }

    private void keep(ByteArrayOutputStream line) {
        if (line.size() == 0) {
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8).stripTrailing();
        line.reset();
        if (text.length() > MAX_LINE) {
            text = text.substring(0, MAX_LINE) + "…";
        }
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(text);
        }
    }

    @Override
    public String toString() {
        return "sidecar " + name + " (pid " + process.pid() + ")";
    }
}
