package io.capstan.backend.sidecar.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
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
import io.capstan.api.SampleFormat;
import io.capstan.transport.fifo.SidecarLauncher;
import io.capstan.transport.fifo.SidecarSpec;

/**
 * A sidecar backend defined by configuration: one instance per factory configuration of PID
 * {@value #FACTORY_PID}. Devices come from a fixed list or a discovery command; capture runs
 * a command template (see {@link CommandTemplate}) that writes raw interleaved PCM into the
 * FIFO, or into its standard output. Examples for pw-record, arecord, sox and a macOS helper:
 * docs/examples/sidecar/.
 */
@Component(service = CaptureBackend.class, configurationPid = TemplateSidecarBackend.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = TemplateSidecarBackend.Config.class, factory = true)
public final class TemplateSidecarBackend implements CaptureBackend {

    /** Factory PID of template backends. */
    public static final String FACTORY_PID = "io.capstan.backend.sidecar.template";

    @ObjectClassDefinition(name = "Capstan sidecar backend from a command template")
    public @interface Config {
        @AttributeDefinition(description = "Backend id shown by 'capstan devices' (e.g. arecord)")
        String id();

        @AttributeDefinition(description = "Capture command and its arguments, with {device} {rate} {channels} "
                + "{format} {alsa-format} {pw-format} {sox-encoding} {bits} {fifo}")
        String[] captureCommand();

        @AttributeDefinition(description = "Sample format the command writes (S16_LE, S24_LE, S32_LE, F32_LE)")
        String sampleFormat() default "F32_LE";

        @AttributeDefinition(description = "Fixed devices, one per entry: id;rate;channels;description")
        String[] devices() default {};

        @AttributeDefinition(description = "Command printing devices as lines id;rate;channels;description")
        String[] discoveryCommand() default {};

        @AttributeDefinition(description = "How often the discovery command runs, in ms")
        long pollIntervalMillis() default 5000;

        @AttributeDefinition(description = "Fail a take when the command delivers no data within this after its "
                + "start, or for this long later while it runs, in ms")
        long firstDataTimeoutMillis() default 2000;

        @AttributeDefinition(description = "Extra environment of the commands, entries NAME=value")
        String[] environment() default {};
    }

    private final SidecarLauncher launcher;
    private final String id;
    private final CommandTemplate capture;
    private final SampleFormat sampleFormat;
    private final List<String> discovery;
    private final Duration firstDataTimeout;
    private final Map<String, String> environment;
    private final ScheduledExecutorService poller;
    private final DeviceList list;

    @Activate
    public TemplateSidecarBackend(@Reference SidecarLauncher launcher, Config config) {
        this.launcher = launcher;
        if (config.id() == null || !config.id().matches("[A-Za-z0-9._-]{1,32}")) {
            throw new IllegalArgumentException("template backend id '" + config.id()
                    + "' must be 1-32 letters, digits, '.', '_' or '-'");
        }
        this.id = config.id();
        this.capture = new CommandTemplate(Arrays.asList(config.captureCommand()));
        this.sampleFormat = SampleFormat.parse(config.sampleFormat());
        this.discovery = List.of(config.discoveryCommand());
        this.firstDataTimeout = Duration.ofMillis(config.firstDataTimeoutMillis());
        this.environment = environment(config.environment());
        this.list = new DeviceList(this, DeviceLines.parse(List.of(config.devices()), sampleFormat, id));
        if (discovery.isEmpty()) {
            poller = null;
        } else {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "capstan-template-discovery-" + id);
                t.setDaemon(true);
                return t;
            });
            discover();
            poller.scheduleWithFixedDelay(this::discover, config.pollIntervalMillis(), config.pollIntervalMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private static Map<String, String> environment(String[] entries) {
        Map<String, String> env = new HashMap<>();
        for (String e : entries) {
            int eq = e.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("environment entry '" + e + "' is not NAME=value");
            }
            env.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return env;
    }

    @Deactivate
    void deactivate() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    private void discover() {
        List<Device> found;
        String why = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(discovery);
            pb.environment().putAll(environment);
            found = DeviceLines.parse(Tools.run(pb, Duration.ofSeconds(5)).lines().toList(), sampleFormat, id);
        } catch (IOException | IllegalArgumentException e) {
            found = List.of();
            why = "discovery command " + discovery.get(0) + " failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        list.update(found, why);
    }

    @Override
    public String id() {
        return id;
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
        if (!capture.choosesFormat() && format.sampleFormat() != sampleFormat) {
            throw new CaptureException("backend " + id + " records " + sampleFormat + " only (its command is not "
                    + "told the format); ask for --format " + sampleFormat);
        }
        AudioFormat n = device.nativeFormat();
        if (!capture.choosesRateAndChannels() && (format.sampleRate() != n.sampleRate()
                || format.channels() != n.channels())) {
            throw new CaptureException("backend " + id + " records " + device.id() + " at " + n.sampleRate() + " Hz "
                    + n.channels() + "ch only (its command is not told rate and channels)");
        }
        List<String> argv = capture.expand(device, format);
        return launcher.start(new SidecarSpec(id, argv, !capture.writesToFifoArgument(), format.bytesPerFrame(),
                firstDataTimeout, environment), sink);
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
