package io.capstan.backend.testsignal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.FrameSink;
import io.capstan.api.SampleFormat;

class TestSignalBackendTest {

    static TestSignalBackend.Config config(double[] frequencies, String loopFile) {
        return new TestSignalBackend.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TestSignalBackend.Config.class;
            }

            @Override
            public double[] frequencies() {
                return frequencies;
            }

            @Override
            public double amplitude() {
                return 0.5;
            }

            @Override
            public boolean pinkNoise() {
                return true;
            }

            @Override
            public boolean silence() {
                return true;
            }

            @Override
            public String loopFile() {
                return loopFile;
            }

            @Override
            public int rate() {
                return 48000;
            }

            @Override
            public int channels() {
                return 2;
            }
        };
    }

    /** Collects what a stream delivers until {@code frames} frames arrived, then asks to stop. */
    static final class Collect implements FrameSink {
        final int bpf;
        final long frames;
        final ByteBuffer data;
        final CountDownLatch ended = new CountDownLatch(1);
        final AtomicInteger ends = new AtomicInteger();

        Collect(AudioFormat format, long frames) {
            this.bpf = format.bytesPerFrame();
            this.frames = frames;
            this.data = ByteBuffer.allocate((int) (frames * bpf) + 48000 * bpf).order(ByteOrder.LITTLE_ENDIAN);
        }

        @Override
        public boolean write(ByteBuffer b) {
            data.put(b);
            return data.position() / bpf < frames;
        }

        @Override
        public void end(CaptureException failure) {
            ends.incrementAndGet();
            ended.countDown();
        }
    }

    @Test
    void offersADevicePerFrequencyAndPinkAndSilence() {
        TestSignalBackend b = new TestSignalBackend(config(new double[] {440, 1000.5}, ""));
        assertEquals(List.of("testsignal-sine-440", "testsignal-sine-1000.5", "testsignal-pink", "testsignal-silence"),
                b.devices().stream().map(Device::id).toList());
        assertNull(b.problem());
    }

    @Test
    void deliversTheSineInRealTimeAtItsFrequencyAndAmplitude() throws Exception {
        TestSignalBackend b = new TestSignalBackend(config(new double[] {1000}, ""));
        Device sine = b.devices().get(0);
        Collect sink = new Collect(sine.nativeFormat(), 24000);
        long t0 = System.nanoTime();
        b.open(sine, sine.nativeFormat(), sink);
        assertTrue(sink.ended.await(10, TimeUnit.SECONDS));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds > 0.4, "half a second of audio took " + seconds + " s");
        assertEquals(1, sink.ends.get());
        ByteBuffer d = sink.data.flip();
        int crossings = 0;
        float max = 0;
        float last = 0;
        for (int f = 0; f < 24000; f++) {
            float s = d.getFloat(f * 8);
            max = Math.max(max, Math.abs(s));
            if (last < 0 && s >= 0) {
                crossings++;
            }
            last = s;
            assertEquals(s, d.getFloat(f * 8 + 4), "both channels carry the signal");
        }
        assertEquals(500, crossings, 2);
        assertEquals(0.5, max, 0.001);
    }

    @Test
    void encodesTheRequestedSampleFormat() throws Exception {
        TestSignalBackend b = new TestSignalBackend(config(new double[] {1000}, ""));
        Device sine = b.devices().get(0);
        AudioFormat s16 = sine.nativeFormat().withSampleFormat(SampleFormat.S16_LE);
        Collect sink = new Collect(s16, 4800);
        b.open(sine, s16, sink);
        assertTrue(sink.ended.await(10, TimeUnit.SECONDS));
        short max = 0;
        for (int f = 0; f < 4800; f++) {
            max = (short) Math.max(max, Math.abs(sink.data.getShort(f * 4)));
        }
        assertEquals(16384, max, 2);
    }

    @Test
    void pinkNoiseStaysWithinFullScaleAndSilenceIsZero() {
        Signal pink = Signal.pink(1.0, 7);
        double sum = 0;
        for (int i = 0; i < 48000; i++) {
            double v = pink.next(48000);
            assertTrue(Math.abs(v) <= 1.0);
            sum += v * v;
        }
        assertTrue(sum > 0);
        assertEquals(0.0, Signal.silence().next(48000));
    }

    @Test
    void deactivationEndsRunningStreamsOnce() throws Exception {
        TestSignalBackend b = new TestSignalBackend(config(new double[] {440}, ""));
        Device sine = b.devices().get(0);
        Collect sink = new Collect(sine.nativeFormat(), Long.MAX_VALUE / 16);
        CaptureStream stream = b.open(sine, sine.nativeFormat(), sink);
        b.deactivate();
        assertTrue(stream.isEnded());
        assertEquals(1, sink.ends.get());
        stream.stop();
        assertEquals(1, sink.ends.get());
    }

    @Test
    void loopsAWavFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path wav = dir.resolve("loop.wav");
        ByteBuffer b = ByteBuffer.allocate(44 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46464952).putInt(44).putInt(0x45564157).putInt(0x20746d66).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .putInt(0x61746164).putInt(8).putShort((short) 16384).putShort((short) -16384).putShort((short) 0)
                .putShort((short) 8192);
        Files.write(wav, b.array());
        LoopFile loop = LoopFile.read(wav);
        assertEquals(8000, loop.rate());
        Signal s = Signal.loop(loop.samples());
        List<Double> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            got.add(s.next(8000));
        }
        assertEquals(List.of(0.5, -0.5, 0.0, 0.25, 0.5, -0.5), got);
        TestSignalBackend backend = new TestSignalBackend(config(new double[0], wav.toString()));
        assertTrue(backend.devices().stream().anyMatch(d -> d.id().equals("testsignal-loop")
                && d.nativeFormat().sampleRate() == 8000));
    }

    @Test
    void reportsAnUnusableLoopFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.wav"), "not a wav");
        assertThrows(IOException.class, () -> LoopFile.read(bad));
        TestSignalBackend backend = new TestSignalBackend(config(new double[0], bad.toString()));
        assertTrue(backend.problem().startsWith("loop file not usable"), backend.problem());
    }
}
