package io.capstan.capture.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.Levels;
import io.capstan.api.SampleFormat;

class LevelMeterTest {

    private static final long HOLD = 1_000_000_000L;
    private static final AudioFormat STEREO_F32 = new AudioFormat(48000, 2, SampleFormat.F32_LE);

    /** Interleaved stereo F32: left a sine of amplitude {@code left}, right silence. */
    private static ByteBuffer sine(double left, int frames) {
        ByteBuffer b = ByteBuffer.allocate(frames * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            b.putFloat((float) (left * Math.sin(2 * Math.PI * 1000 * i / 48000.0)));
            b.putFloat(0f);
        }
        return b.flip();
    }

    @Test
    void reportsPeakAndRmsOfASine() {
        LevelMeter m = new LevelMeter(STEREO_F32, HOLD);
        m.accept(sine(0.5, 4800));
        Levels l = m.snapshot(1);
        assertEquals(-6.02, l.peakDbfs()[0], 0.05);
        assertEquals(-9.03, l.rmsDbfs()[0], 0.05);
        assertEquals(4800, l.frames());
    }

    @Test
    void silenceReadsTheFloor() {
        LevelMeter m = new LevelMeter(STEREO_F32, HOLD);
        m.accept(sine(0.5, 480));
        Levels l = m.snapshot(1);
        assertEquals(Levels.FLOOR_DBFS, l.peakDbfs()[1]);
        assertEquals(Levels.FLOOR_DBFS, l.rmsDbfs()[1]);
        assertFalse(l.clipped()[1]);
    }

    @Test
    void holdsThePeakForTheHoldTimeThenFollows() {
        LevelMeter m = new LevelMeter(STEREO_F32, HOLD);
        m.accept(sine(1.0, 480));
        m.snapshot(0);
        m.accept(sine(0.1, 480));
        Levels held = m.snapshot(HOLD / 2);
        assertEquals(0.0, held.holdDbfs()[0], 0.05);
        assertEquals(-20.0, held.peakDbfs()[0], 0.1);
        m.accept(sine(0.1, 480));
        Levels later = m.snapshot(HOLD * 2);
        assertEquals(-20.0, later.holdDbfs()[0], 0.1);
    }

    @Test
    void flagsClippingForTheHoldTime() {
        LevelMeter m = new LevelMeter(STEREO_F32, HOLD);
        m.accept(sine(1.0, 480));
        assertTrue(m.snapshot(10).clipped()[0]);
        m.accept(sine(0.1, 480));
        assertTrue(m.snapshot(HOLD / 2).clipped()[0]);
        m.accept(sine(0.1, 480));
        assertFalse(m.snapshot(HOLD * 2).clipped()[0]);
    }

    @Test
    void decodesIntegerFormats() {
        ByteBuffer s16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -16384)
                .putShort((short) 0).flip();
        LevelMeter m16 = new LevelMeter(new AudioFormat(48000, 2, SampleFormat.S16_LE), HOLD);
        m16.accept(s16);
        assertEquals(-6.02, m16.snapshot(1).peakDbfs()[0], 0.01);

        ByteBuffer s24 = ByteBuffer.wrap(new byte[] {0, 0, (byte) 0xC0}); // -0.5 full scale
        LevelMeter m24 = new LevelMeter(new AudioFormat(48000, 1, SampleFormat.S24_LE), HOLD);
        m24.accept(s24);
        assertEquals(-6.02, m24.snapshot(1).peakDbfs()[0], 0.01);

        ByteBuffer s32 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MAX_VALUE / 2).flip();
        LevelMeter m32 = new LevelMeter(new AudioFormat(48000, 1, SampleFormat.S32_LE), HOLD);
        m32.accept(s32);
        assertEquals(-6.02, m32.snapshot(1).peakDbfs()[0], 0.01);
    }

    @Test
    void keepsTheLastLevelsWhenNoFramesArrive() {
        LevelMeter m = new LevelMeter(STEREO_F32, HOLD);
        m.accept(sine(0.5, 4800));
        double peak = m.snapshot(1).peakDbfs()[0];
        assertEquals(peak, m.snapshot(2).peakDbfs()[0]);
    }

    @Test
    void ringHandsOverWhatWasOfferedInOrderAndDropsWhatDoesNotFit() {
        ByteRing ring = new ByteRing(8, 2);
        ring.offer(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}));
        ByteBuffer out = ByteBuffer.allocate(16);
        ring.drain(out::put);
        ring.offer(ByteBuffer.wrap(new byte[] {7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
        ring.drain(out::put);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}, java.util.Arrays.copyOf(out.array(), out.position()));
        assertEquals(2, ring.dropped());
    }
}
