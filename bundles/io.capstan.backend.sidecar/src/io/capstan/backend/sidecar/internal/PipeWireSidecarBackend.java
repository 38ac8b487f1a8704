package io.capstan.backend.sidecar.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.DeviceListener;
import io.capstan.api.FrameSink;
import io.capstan.transport.fifo.SidecarLauncher;
import io.capstan.transport.fifo.SidecarSpec;

/**
 * PipeWire through its command-line tools: devices from {@code pw-dump}, reread whenever
 * {@code pw-dump --monitor} reports a change ({@link PwDumpMonitor}), capture by a
 * {@code pw-record --target <node.name> ... -} sidecar whose standard output is a FIFO. Reaches
 * whatever PipeWire daemon the environment names ({@code XDG_RUNTIME_DIR},
 * {@code PIPEWIRE_RUNTIME_DIR}, {@code PIPEWIRE_REMOTE}), since the tools inherit it.
 */
@Component(service = CaptureBackend.class, immediate = true, configurationPid = "io.capstan.backend.sidecar")
@Designate(ocd = PipeWireSidecarBackend.Config.class)
public final class PipeWireSidecarBackend implements CaptureBackend {

    /** Backend id, as shown by {@code capstan devices} and chosen by {@code --backend sidecar}. */
    public static final String ID = "sidecar";

    @ObjectClassDefinition(name = "Capstan sidecar backend (pw-record)")
    public @interface Config {
        @AttributeDefinition(description = "How long to wait before starting pw-dump --monitor again when it"
                + " ended (PipeWire not running, pw-dump missing), in ms")
        long retryIntervalMillis() default 2000;

        @AttributeDefinition(description = "Longest a pw-dump run may take, in ms")
        long discoveryTimeoutMillis() default 5000;
    }

    private final SidecarLauncher launcher;
    private final PwDumpParser parser = new PwDumpParser(ID);
    private final ScheduledExecutorService poller;
    private final PwDumpMonitor monitor;
    private final long retryMillis;
    private final AtomicBoolean retrying = new AtomicBoolean();
    private final Duration discoveryTimeout;
    private final DeviceList list = new DeviceList(this, List.of());

    @Activate
    public PipeWireSidecarBackend(@Reference SidecarLauncher launcher, Config config) {
        this.launcher = launcher;
        this.discoveryTimeout = Duration.ofMillis(config.discoveryTimeoutMillis());
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "capstan-sidecar-discovery");
            t.setDaemon(true);
            return t;
        });
        discover();
        this.retryMillis = config.retryIntervalMillis();
        this.monitor = new PwDumpMonitor(Map.of(), this::discover, poller, retryMillis);
        monitor.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        monitor.stop();
        poller.shutdownNow();
        poller.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void discover() {
        List<Device> found;
        String why;
        Optional<Path> pwDump = Tools.which("pw-dump");
        if (pwDump.isEmpty()) {
            found = List.of();
            why = "pw-dump not found on PATH: install the Debian package pipewire-bin (with pipewire and wireplumber)";
        } else if (Tools.which("pw-record").isEmpty()) {
            found = List.of();
            why = "pw-record not found on PATH: install the Debian package pipewire-bin";
        } else {
            try {
                found = parser.parse(Tools.run(List.of(pwDump.get().toString(), "-N"), discoveryTimeout));
                why = null;
            } catch (IOException e) {
                found = List.of();
                String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
                why = "PipeWire is not reachable (is it running for this user? "
                        + (runtimeDir == null ? "XDG_RUNTIME_DIR is not set" : "XDG_RUNTIME_DIR=" + runtimeDir)
                        + "): " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        list.update(found, why);
        // A failed reading while the monitor is connected would otherwise wait for the next change
        // (while it is not connected, its own restarts bring discoveries).
        if (why != null && monitor != null && monitor.watching() && retrying.compareAndSet(false, true)) {
            try {
                poller.schedule(() -> {
                    retrying.set(false);
                    discover();
                }, retryMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                retrying.set(false); // deactivated
            }
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Device> devices() {
        return list.devices();
    }

    @Override
    public String problem() {
        return list.problem();
    }

    @Override
    public CaptureStream open(Device device, AudioFormat format, FrameSink sink) throws CaptureException {
        String pwRecord = Tools.which("pw-record").map(Path::toString).orElseThrow(
                () -> new CaptureException("pw-record not found on PATH: install the Debian package pipewire-bin"));
        List<String> command = List.of(pwRecord, "--target", device.id(), "--rate",
                Integer.toString(format.sampleRate()), "--channels", Integer.toString(format.channels()),
                "--format", format.sampleFormat().shortName(), "-");
        return launcher.start(new SidecarSpec("pw-record", command, true, format.bytesPerFrame(), null, Map.of()),
                sink);
    }

    @Override
    public void addDeviceListener(DeviceListener listener) {
        list.add(listener);
    }

    @Override
    public void removeDeviceListener(DeviceListener listener) {
        list.remove(listener);
    }
}
