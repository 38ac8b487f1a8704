package io.capstan.backend.platform;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Native memory helpers safe on a real-time thread: {@link #memcpy} is bound by direct mapping
 * with plain addresses, so a call allocates nothing on the Java heap.
 */
public final class NativeMemory {

    private static volatile boolean bound;

    private NativeMemory() {
    }

    /** Binds {@link #memcpy} to the C library once. */
    public static synchronized void bind() {
        if (!bound) {
            Native.register(NativeMemory.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
            bound = true;
        }
    }

    /**
     * C {@code memcpy}: copies {@code n} bytes from address {@code src} to address {@code dst};
     * the ranges must not overlap. Call {@link #bind()} first.
     *
     * @return dst
     */
    public static native long memcpy(long dst, long src, long n);

    /** @return {@code size} bytes of native memory, zeroed (JNA's {@link Memory} is not) */
    public static Memory zeroed(long size) {
        Memory m = new Memory(size);
        m.clear();
        return m;
    }

    /** @return the address a pointer holds (0 for null) */
    public static long address(Pointer p) {
        return Pointer.nativeValue(p);
    }
}
