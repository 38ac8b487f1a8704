package io.capstan.backend.platform.pipewire.internal;

import java.nio.ByteBuffer;

import com.sun.jna.Pointer;

/**
 * One {@link ByteBuffer} view per buffer of a stream's pool, made the first time the buffer is
 * seen and re-framed for every delivery, so that draining allocates nothing once the pool has
 * gone round. Drain thread only.
 */
final class BufferViews {

    /** Views remembered; PipeWire streams hold at most 64 buffers. */
    private static final int MAX_VIEWS = 64;

    private final long[] bases = new long[MAX_VIEWS];
    private final ByteBuffer[] views = new ByteBuffer[MAX_VIEWS];
    private int count;
    private int evict;

    /** @return the view of the {@code maxsize} bytes at {@code base}, made the first time they are seen */
    ByteBuffer view(long base, int maxsize) {
        for (int i = 0; i < count; i++) {
            if (bases[i] == base && views[i].capacity() == maxsize) {
                return views[i];
            }
        }
        int slot = count < MAX_VIEWS ? count++ : evict++ % MAX_VIEWS; // a pool replaced (format change): reuse slots
        bases[slot] = base;
        views[slot] = new Pointer(base).getByteBuffer(0, maxsize);
        return views[slot];
    }
}
