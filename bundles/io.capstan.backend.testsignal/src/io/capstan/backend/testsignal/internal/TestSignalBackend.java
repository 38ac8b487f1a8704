package io.capstan.backend.testsignal.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.FrameSink;
import io.capstan.api.SampleFormat;

/**
 * Synthetic devices: a sine per configured frequency, pink noise, silence and optionally a
 * looped recording. Not part of the default products: the backend users install at run time.
 * Stopping the bundle ends every stream it runs (the takes end with their chunks sealed) and
 * its devices leave the registry.
 */
@Component(service = CaptureBackend.class, configurationPid = TestSignalBackend.PID)
@Designate(ocd = TestSignalBackend.Config.class)
public final class TestSignalBackend implements CaptureBackend {

    static final String PID = "io.capstan.backend.testsignal";
    static final String ID = "testsignal";

    @ObjectClassDefinition(name = "Capstan test signal backend")
    public @interface Config {
        @AttributeDefinition(description = "One sine device per frequency, in Hz (device id testsignal-sine-<Hz>)")
        double[] frequencies() default {440.0};

        @AttributeDefinition(description = "Peak amplitude of sines and noise, 0 to 1")
        double amplitude() default 0.5;

        @AttributeDefinition(description = "Offer a pink noise device (testsignal-pink)")
        boolean pinkNoise() default true;

        @AttributeDefinition(description = "Offer a silent device (testsignal-silence)")
        boolean silence() default true;

        @AttributeDefinition(description = "A WAV file played in a loop as device testsignal-loop (empty: none)")
        String loopFile() default "";

        @AttributeDefinition(description = "Sample rate of the synthetic devices, in Hz")
        int rate() default 48000;

        @AttributeDefinition(description = "Channels of the synthetic devices")
        int channels() default 2;
    }

    private record Source(Device device, Supplier<Signal> signal) {
    }

    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Set<SignalStream> streams = ConcurrentHashMap.newKeySet();
    private final String problem;

    @Activate
    public TestSignalBackend(Config config) {
        AudioFormat format = new AudioFormat(config.rate(), config.channels(), SampleFormat.F32_LE);
        double amplitude = Math.max(0, Math.min(1, config.amplitude()));
        for (double hz : config.frequencies()) {
            String name = hz == Math.rint(hz) ? Long.toString((long) hz) : String.format(Locale.ROOT, "%.1f", hz);
            add(new Device("testsignal-sine-" + name, "Test signal: sine " + name + " Hz", format, ID),
                    () -> Signal.sine(hz, amplitude));
        }
        if (config.pinkNoise()) {
            add(new Device("testsignal-pink", "Test signal: pink noise", format, ID), () -> Signal.pink(amplitude, 1));
        }
        if (config.silence()) {
            add(new Device("testsignal-silence", "Test signal: silence", format, ID), Signal::silence);
        }
        String loopProblem = null;
        if (!config.loopFile().isBlank()) {
            try {
                LoopFile loop = LoopFile.read(Path.of(config.loopFile()));
                add(new Device("testsignal-loop", "Test signal: " + Path.of(config.loopFile()).getFileName() + " (loop)",
                        new AudioFormat(loop.rate(), config.channels(), SampleFormat.F32_LE), ID),
                        () -> Signal.loop(loop.samples()));
            } catch (IOException | RuntimeException e) {
                loopProblem = "loop file not usable: " + e.getMessage();
            }
        }
        problem = loopProblem;
    }

    private void add(Device device, Supplier<Signal> signal) {
        sources.put(device.id(), new Source(device, signal));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Device> devices() {
        return new ArrayList<>(sources.values().stream().map(Source::device).toList());
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public CaptureStream open(Device device, AudioFormat format, FrameSink sink) throws CaptureException {
        Source source = sources.get(device.id());
        if (source == null) {
            throw new CaptureException("the test signal backend has no device '" + device.id() + "'");
        }
        if (format.sampleRate() != source.device().nativeFormat().sampleRate()
                && device.id().equals("testsignal-loop")) {
            throw new CaptureException("the looped recording plays at " + source.device().nativeFormat().sampleRate()
                    + " Hz only");
        }
        SignalStream stream = new SignalStream(device.id(), format, source.signal().get(), new FrameSink() {
            @Override
            public boolean write(java.nio.ByteBuffer frames) {
                return sink.write(frames);
            }

            @Override
            public void end(CaptureException failure) {
                try {
                    sink.end(failure);
                } finally {
                    streams.removeIf(s -> s.isEnded());
                }
            }
        });
        streams.add(stream);
        stream.start();
        return stream;
    }

    /** Ends every running stream: their takes end cleanly, with the chunks they have sealed. */
    @Deactivate
    void deactivate() throws InterruptedException {
        for (SignalStream s : List.copyOf(streams)) {
            s.stopAndJoin(5000);
        }
        streams.clear();
    }
}
