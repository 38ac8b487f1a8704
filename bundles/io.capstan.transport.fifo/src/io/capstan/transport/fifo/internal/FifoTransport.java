package io.capstan.transport.fifo.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.FrameSink;
import io.capstan.transport.fifo.SidecarLauncher;
import io.capstan.transport.fifo.SidecarSpec;
import io.capstan.transport.fifo.internal.jna.LibC;

/**
 * The {@link SidecarLauncher} service: a FIFO per take in the private runtime directory, the
 * sidecar spawned after the FIFO's read end is open, a {@link FifoReader} per take.
 *
 * <p>Activation binds the C library (and fails with a message naming it when that is impossible),
 * prepares the runtime directory and removes FIFOs left by crashed runs. A runtime directory
 * that cannot be used does not fail activation: {@link #start} reports it, so the user sees the
 * reason when recording. Deactivation stops every running sidecar and waits for its end.
 *
 * <p>Threading: thread-safe.
 */
@Component(service = SidecarLauncher.class, configurationPid = FifoTransport.PID)
@Designate(ocd = FifoTransport.Config.class)
public final class FifoTransport implements SidecarLauncher {

    /** Configuration PID. */
    public static final String PID = "io.capstan.transport.fifo";

    /** Configuration of the FIFO transport. */
    @ObjectClassDefinition(id = PID, name = "Capstan FIFO transport",
            description = "Timeouts of sidecar processes that write PCM into a FIFO")
    public @interface Config {
        /**
         * @return milliseconds a sidecar may take to deliver its first byte, or go without
         *         delivering one later, before it fails
         */
        @AttributeDefinition(name = "Data timeout (ms)", min = "1",
                description = "A sidecar that delivers no byte within this after its start, or for this long later "
                        + "while it runs, is killed and the capture fails with what it delivered kept")
        long firstDataTimeoutMillis() default 2000;

        /** @return milliseconds between SIGTERM and SIGKILL when stopping a sidecar */
        @AttributeDefinition(name = "Stop timeout (ms)", min = "1",
                description = "After SIGTERM, how long to drain the FIFO before killing the sidecar")
        long stopTimeoutMillis() default 3000;
    }

    private static final System.Logger LOG = System.getLogger(FifoTransport.class.getName());

    private final RuntimeDirectory directory;
    private final Set<FifoReader> running = ConcurrentHashMap.newKeySet();
    private volatile Duration firstDataTimeout;
    private volatile Duration stopTimeout;
    private volatile boolean deactivated;

    @Activate
    public FifoTransport(Config config) {
        this(millis(config.firstDataTimeoutMillis(), 2000), millis(config.stopTimeoutMillis(), 3000), RuntimeDirectory.currentUser(true));
    }

    /** For tests: explicit timeouts and runtime directory. */
    FifoTransport(Duration firstDataTimeout, Duration stopTimeout, RuntimeDirectory directory) {
        LibC.load();
        this.firstDataTimeout = firstDataTimeout;
        this.stopTimeout = stopTimeout;
        this.directory = directory;
        try {
            directory.prepare();
            int removed = directory.removeStaleFifos();
            if (removed > 0) {
                LOG.log(System.Logger.Level.INFO, "removed " + removed + " stale FIFOs of ended processes from "
                        + directory.path());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "FIFO runtime directory unusable; sidecar captures will fail: "
                    + e.getMessage());
        }
    }

    @Modified
    void modified(Config config) {
        firstDataTimeout = millis(config.firstDataTimeoutMillis(), 2000);
        stopTimeout = millis(config.stopTimeoutMillis(), 3000);
    }

    /** Stops every running sidecar and waits (bounded) until each has ended. */
    @Deactivate
    void deactivate() {
        deactivated = true;
        running.forEach(FifoReader::stop);
        Duration wait = stopTimeout.plusSeconds(3);
        for (FifoReader reader : running) {
            try {
                if (!reader.awaitEnd(wait)) {
                    LOG.log(System.Logger.Level.WARNING, reader + " did not end within " + FifoReader.format(wait));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public CaptureStream start(SidecarSpec spec, FrameSink sink) throws CaptureException {
        if (spec == null || sink == null) {
            throw new IllegalArgumentException("spec and sink are required");
        }
        if (deactivated) {
            throw new CaptureException("the FIFO transport is stopped; cannot start sidecar " + spec.name());
        }
        Fifo fifo;
        try {
            fifo = directory.createFifo();
        } catch (IOException e) {
            throw new CaptureException("cannot create a FIFO for sidecar " + spec.name() + ": " + e.getMessage(), e);
        }
        try {
            fifo.openForReading(); // before the spawn: the writer's open() must find a reader
            SidecarProcess process = SidecarProcess.start(spec, fifo.path());
            Duration timeout = spec.firstDataTimeout() != null ? spec.firstDataTimeout() : firstDataTimeout;
            FifoReader reader = new FifoReader(spec, sink, fifo, process, timeout, stopTimeout, running::remove);
            running.add(reader);
            reader.startThread();
            return reader;
        } catch (CaptureException | IOException | RuntimeException | Error e) {
            try {
                fifo.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof CaptureException c) {
                throw c;
            }
            throw new CaptureException("cannot start sidecar " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path runtimeDirectory() {
        return directory.path();
    }

    private static Duration millis(long configured, long fallback) {
        return Duration.ofMillis(configured > 0 ? configured : fallback);
    }
}
