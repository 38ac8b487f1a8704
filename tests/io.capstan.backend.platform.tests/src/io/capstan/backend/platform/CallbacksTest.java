package io.capstan.backend.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.sun.jna.Callback;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * {@link Callbacks}: native code calling Java back. C {@code qsort} calls the comparator hundreds
 * of thousands of times from native code; the bytes this thread allocates meanwhile show what a
 * callback costs the Java heap.
 */
class CallbacksTest {

    private static final int N = 20_000;

    /** {@code int (*compar)(const void *, const void *)} with the pointers as addresses. */
    interface DirectCompare extends Callback {
        int invoke(long a, long b);
    }

    /** The same with {@link Pointer} parameters: only the ordinary trampoline can call it. */
    interface PointerCompare extends Callback {
        int invoke(Pointer a, Pointer b);
    }

    /** C {@code qsort}, direct-mapped, the comparator as an address. */
    static final class LibC {
        static {
            Native.register(LibC.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
        }

        static native void qsort(long base, long count, long size, long compar);
    }

    @Test
    void directCallbackIsCalledFromNativeCodeWithoutAllocating() {
        Pointer a = new Pointer(0);
        Pointer b = new Pointer(0);
        int[] calls = { 0 };
        DirectCompare compare = (x, y) -> {
            calls[0]++;
            Pointer.nativeValue(a, x);
            Pointer.nativeValue(b, y);
            return Integer.compare(a.getInt(0), b.getInt(0));
        };
        long trampoline = Callbacks.attachedDirect(compare, "capstan-test-callback");
        sortRandom(trampoline); // warm-up: class loading, JIT
        calls[0] = 0;

        long before = allocatedBytes();
        int[] sorted = sortRandom(trampoline);
        long allocated = allocatedBytes() - before;

        assertTrue(calls[0] > N, "qsort called back " + calls[0] + " times");
        assertSorted(sorted);
        // the sort's own arrays (2 × 80 KB) and the test's bookkeeping; nothing per call
        long perCallBudget = (allocated - 2L * N * 4) / calls[0];
        assertTrue(perCallBudget < 1, allocated + " bytes allocated over " + calls[0] + " direct callbacks");
    }

    @Test
    void ordinaryCallbackAllocatesOnEveryCall() {
        int[] calls = { 0 };
        PointerCompare compare = (x, y) -> {
            calls[0]++;
            return Integer.compare(x.getInt(0), y.getInt(0));
        };
        long trampoline = Pointer.nativeValue(Callbacks.attached(compare, "capstan-test-callback"));
        sortRandom(trampoline);
        calls[0] = 0;

        long before = allocatedBytes();
        int[] sorted = sortRandom(trampoline);
        long allocated = allocatedBytes() - before;

        assertSorted(sorted);
        // what attachedDirect avoids: this figure must stay measurable, else the test above proves nothing
        assertTrue(allocated / calls[0] >= 32, allocated + " bytes over " + calls[0] + " ordinary callbacks");
    }

    @Test
    void refusesCallbacksWithObjectParameters() {
        PointerCompare compare = (x, y) -> 0;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Callbacks.attachedDirect(compare, "capstan-test-callback"));
        assertTrue(e.getMessage().contains("primitive parameters only"), e.getMessage());
    }

    private static int[] sortRandom(long trampoline) {
        int[] values = new Random(42).ints(N).toArray();
        try (Memory m = new Memory(4L * N)) {
            m.write(0, values, 0, N);
            LibC.qsort(Pointer.nativeValue(m), N, 4, trampoline);
            int[] out = new int[N];
            m.read(0, out, 0, N);
            return out;
        }
    }

    private static void assertSorted(int[] values) {
        int[] expected = values.clone();
        Arrays.sort(expected);
        assertArrayEquals(expected, values, "qsort with the Java comparator sorted the array");
    }

    /** Bytes this thread allocated so far (HotSpot's ThreadMXBean, through JMX: no com.sun import). */
    private static long allocatedBytes() {
        try {
            return (Long) ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("java.lang:type=Threading"), "getThreadAllocatedBytes",
                    new Object[] { Thread.currentThread().threadId() }, new String[] { "long" });
        } catch (javax.management.JMException e) {
            throw new AssertionError("this JVM does not count allocated bytes per thread", e);
        }
    }
}
