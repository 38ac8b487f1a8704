package io.capstan.backend.platform.pipewire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

class BufferViewsTest {

    @Test
    void aBufferSeenAgainGetsTheSameViewOfItsMemory() {
        Memory pool = new Memory(70 * 256);
        long base = Pointer.nativeValue(pool);
        BufferViews views = new BufferViews();
        ByteBuffer first = views.view(base, 256);
        pool.setByte(3, (byte) 42);
        assertEquals(42, first.get(3), "a view of the buffer's memory, not a copy");
        assertSame(first, views.view(base, 256), "made once, then reused");
        assertNotSame(first, views.view(base, 128), "a buffer of another size at the same address is another view");
        for (int i = 1; i < 70; i++) { // more buffers than a pool holds: older views are replaced, none is wrong
            ByteBuffer v = views.view(base + i * 256L, 256);
            pool.setByte(i * 256L, (byte) i);
            assertEquals(i, v.get(0), "buffer " + i);
        }
    }
}
