package io.capstan.integration.tests;

import java.util.List;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.FrameSink;
import io.capstan.api.SampleFormat;
import io.capstan.transport.fifo.SidecarLauncher;
import io.capstan.transport.fifo.SidecarSpec;

/**
 * A real backend for the integration tests: one device whose capture is a {@code sox} process
 * synthesizing a 1 kHz sine into the real FIFO transport.
 */
final class SoxToneBackend implements CaptureBackend {

    static final String ID = "itest";
    static final Device TONE = new Device("itest-tone", "sox 1 kHz sine",
            new AudioFormat(48_000, 2, SampleFormat.F32_LE), ID);

    private final SidecarLauncher launcher;

    SoxToneBackend(SidecarLauncher launcher) {
        this.launcher = launcher;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<Device> devices() {
        return List.of(TONE);
    }

    @Override
    public CaptureStream open(Device device, AudioFormat format, FrameSink sink) throws CaptureException {
        List<String> sox = List.of("sox", "-q", "-n", "-t", "raw", "-r", Integer.toString(format.sampleRate()), "-c",
                Integer.toString(format.channels()), "-e", "floating-point", "-b", "32", "-", "synth", "60",
                "sine", "1000", "vol", "0.5");
        return launcher.start(SidecarSpec.ofStdout("sox-tone", format.bytesPerFrame(), sox), sink);
    }
}
