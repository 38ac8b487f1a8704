package io.capstan.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.Levels;
import io.capstan.api.SampleFormat;

class TakeLevelsTest {

    private static ByteBuffer stereoF32(int frames, double amplitude, double constant) {
        ByteBuffer b = ByteBuffer.allocate(frames * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            b.putFloat((float) (amplitude * Math.sin(2 * Math.PI * 1000 * i / 48000.0)));
            b.putFloat((float) constant);
        }
        return b.flip();
    }

    @Test
    void measuresPeakAndRmsPerChannelOfWhatWasFed() {
        TakeLevels levels = new TakeLevels(new AudioFormat(48000, 2, SampleFormat.F32_LE), 1.0);
        ByteBuffer frames = stereoF32(4800, 0.5, -0.25);
        levels.feed(frames, 0, frames.remaining());
        Levels l = levels.drain(1);
        assertEquals(4800, l.frames());
        assertEquals(0.5, TakeLevels.linear(l.peakDbfs()[0]), 1e-3);
        assertEquals(0.5 / Math.sqrt(2), TakeLevels.linear(l.rmsDbfs()[0]), 1e-3);
        assertEquals(0.25, TakeLevels.linear(l.peakDbfs()[1]), 1e-6);
        assertEquals(0.25, TakeLevels.linear(l.rmsDbfs()[1]), 1e-6);
        assertNull(levels.drain(2), "nothing new, no level");
    }

    @Test
    void feedsFromAnOffsetAndLeavesTheBufferWhereItWas() {
        TakeLevels levels = new TakeLevels(new AudioFormat(48000, 2, SampleFormat.F32_LE), 1.0);
        ByteBuffer frames = stereoF32(10, 0.5, 0.1);
        levels.feed(frames, 8 * 4, 8 * 6);
        assertEquals(0, frames.position());
        assertEquals(6, levels.drain(1).frames());
    }

    @Test
    void silenceReadsZero() {
        assertEquals(0.0, TakeLevels.linear(Levels.FLOOR_DBFS));
        assertEquals(1.0, TakeLevels.linear(0.0), 1e-12);
    }
}
