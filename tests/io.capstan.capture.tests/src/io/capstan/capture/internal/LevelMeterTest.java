package io.capstan.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.SampleFormat;

class LevelMeterTest {

    private static ByteBuffer stereoF32(int frames, double amplitude, double constant) {
        ByteBuffer b = ByteBuffer.allocate(frames * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            b.putFloat((float) (amplitude * Math.sin(2 * Math.PI * 1000 * i / 48000.0)));
            b.putFloat((float) constant);
        }
        return b.flip();
    }

    @Test
    void measuresPeakAndRmsPerChannel() {
        LevelMeter meter = new LevelMeter(new AudioFormat(48000, 2, SampleFormat.F32_LE), 1.0);
        ByteBuffer frames = stereoF32(4800, 0.5, -0.25);
        meter.feed(frames, 0, frames.remaining());
        LevelMeter.Levels l = meter.drain();
        assertEquals(4800, l.frames());
        assertEquals(0.5, l.peak()[0], 1e-3);
        assertEquals(0.5 / Math.sqrt(2), l.rms()[0], 1e-3);
        assertEquals(0.25, l.peak()[1], 1e-6);
        assertEquals(0.25, l.rms()[1], 1e-6);
        assertNull(meter.drain(), "nothing new, no level");
    }

    @Test
    void leavesTheBufferWhereItWas() {
        LevelMeter meter = new LevelMeter(new AudioFormat(48000, 2, SampleFormat.F32_LE), 1.0);
        ByteBuffer frames = stereoF32(10, 0.5, 0.1);
        meter.feed(frames, 0, frames.remaining());
        assertEquals(0, frames.position());
    }

    @Test
    void decodesSixteenAndTwentyFourBitSamples() {
        ByteBuffer s16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -32768)
                .putShort((short) 16384).flip();
        LevelMeter m16 = new LevelMeter(new AudioFormat(8000, 1, SampleFormat.S16_LE), 1.0);
        m16.feed(s16, 0, 4);
        assertEquals(1.0, m16.drain().peak()[0], 1e-9);
        byte[] s24 = { 0x00, 0x00, (byte) 0xC0 }; // -4194304 = -0.5 full scale
        LevelMeter m24 = new LevelMeter(new AudioFormat(8000, 1, SampleFormat.S24_LE), 1.0);
        m24.feed(ByteBuffer.wrap(s24), 0, 3);
        assertEquals(0.5, m24.drain().peak()[0], 1e-9);
    }

    @Test
    void measuresOnlyTheNewestHalfWhenTheMeterFellBehind() {
        LevelMeter meter = new LevelMeter(new AudioFormat(48000, 2, SampleFormat.F32_LE), 0.1); // 4800 frames
        ByteBuffer loud = stereoF32(48000, 0.9, 0.9);
        meter.feed(loud, 0, loud.remaining());
        ByteBuffer quiet = stereoF32(2400, 0.1, 0.1);
        meter.feed(quiet, 0, quiet.remaining());
        LevelMeter.Levels l = meter.drain();
        assertEquals(2400, l.frames());
        assertEquals(0.1, l.peak()[1], 1e-6);
    }
}
