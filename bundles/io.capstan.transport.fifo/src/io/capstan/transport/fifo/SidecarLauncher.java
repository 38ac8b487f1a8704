package io.capstan.transport.fifo;

import java.nio.file.Path;

import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.FrameSink;

/**
 * DS service. Runs sidecar processes that write PCM into a FIFO read by Capstan.
 *
 * <p>For each {@link #start} the launcher creates a private FIFO (mode 0600) in
 * {@link #runtimeDirectory()}, opens its read end without blocking, then spawns the sidecar, so
 * the sidecar never waits for a reader. A reader thread named {@code capstan-fifo-<name>}
 * delivers whole frames to the sink; it reads again only after {@link FrameSink#write}
 * returned, so a slow sink fills the pipe and the sidecar blocks in write() (backpressure, no
 * data is dropped). The sidecar's standard error is drained on a thread named
 * {@code capstan-fifo-<name>-stderr}; its last lines end up in failure messages.
 *
 * <p>Threading: all methods may be called from any thread; several sidecars may run at once.
 */
public interface SidecarLauncher {

    /**
     * Starts the sidecar and returns at once; frames go to {@code sink} on a reader thread until
     * EOF, {@link CaptureStream#stop()} or failure; {@link FrameSink#end} is called exactly once,
     * after the last write and after the FIFO was removed.
     *
     * <p>The end is normal ({@code null}) when the sidecar closed its output and exited with
     * status 0, or when it was stopped (by {@link CaptureStream#stop()} or by the sink returning
     * false). It is a {@link CaptureException} when the sidecar exited with another status or was
     * killed by someone else (message: status and the last lines of its standard error), when it
     * delivered no byte within {@link SidecarSpec#firstDataTimeout()}, when the sink threw, or
     * when the output ended inside a frame (the incomplete bytes are counted in the message).
     * Every byte the sidecar wrote before it ended is delivered before the end.
     *
     * @throws CaptureException when the runtime directory or the FIFO cannot be created, or the
     *                          program cannot be run (the message names the command and what
     *                          to install)
     */
    CaptureStream start(SidecarSpec spec, FrameSink sink) throws CaptureException;

    /**
     * @return the runtime directory holding the FIFOs: {@code $XDG_RUNTIME_DIR/capstan}, or
     *         {@code capstan-<user>} under {@code java.io.tmpdir}; private to this user (0700)
     */
    Path runtimeDirectory();
}
