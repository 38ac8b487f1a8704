package io.capstan.backend.platform.pipewire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

import com.sun.jna.Memory;

import io.capstan.backend.platform.NativeMemory;

class PcmRingTest {

    private static Memory source(int n, int first) {
        Memory m = new Memory(n);
        for (int i = 0; i < n; i++) {
            m.setByte(i, (byte) (first + i));
        }
        return m;
    }

    private static byte[] drainAll(PcmRing ring) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ring.drain(b -> {
            int n = b.remaining();
            byte[] a = new byte[n];
            b.get(a);
            out.write(a, 0, n);
            return n;
        });
        return out.toByteArray();
    }

    @Test
    void deliversBytesInOrderAcrossTheWrap() {
        PcmRing ring = new PcmRing(64, 8);
        assertEquals(0, ring.write(NativeMemory.address(source(48, 0)), 48));
        assertEquals(48, drainAll(ring).length);
        Memory second = source(40, 48);
        assertEquals(0, ring.write(NativeMemory.address(second), 40)); // wraps at 64
        byte[] expected = new byte[40];
        second.read(0, expected, 0, 40);
        assertArrayEquals(expected, drainAll(ring));
    }

    @Test
    void dropsWholeFramesThatDoNotFitAndReportsThem() {
        PcmRing ring = new PcmRing(64, 8);
        assertEquals(0, ring.write(NativeMemory.address(source(56, 0)), 56));
        assertEquals(24, ring.write(NativeMemory.address(source(32, 0)), 32), "8 bytes fit, 24 dropped");
        assertEquals(64, ring.available());
    }

    @Test
    void stopsWhenTheSinkTakesLess() {
        PcmRing ring = new PcmRing(64, 8);
        ring.write(NativeMemory.address(source(32, 0)), 32);
        assertEquals(16, ring.drain(b -> 16));
        assertEquals(16, ring.available());
    }
}
