package io.capstan.backend.platform;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * JNA callbacks called from native threads that live long (an audio system's loop and real-time
 * threads). Without a {@link CallbackThreadInitializer}, JNA attaches the native thread to the
 * JVM on every call and detaches it after (hundreds of µs and a new {@code java.lang.Thread}
 * each time). The caller keeps the callback object strongly referenced until the native side
 * can no longer call it: JNA frees the trampoline when the object is collected.
 */
public final class Callbacks {

    private Callbacks() {
    }

    /**
     * Makes {@code callback}'s native thread stay attached (daemon, not detached after the call,
     * named {@code threadName}) and returns its native function pointer.
     */
    public static Pointer attached(Callback callback, String threadName) {
        Native.setCallbackThreadInitializer(callback, new CallbackThreadInitializer(true, false, threadName));
        return CallbackReference.getFunctionPointer(callback);
    }

    /**
     * As {@link #attached}, for callbacks on a real-time thread: returns the address of JNA's
     * <em>direct</em> trampoline for {@code callback}, which calls the Java method through JNI
     * with the native arguments as they are. The ordinary trampoline boxes every call's
     * arguments into an {@code Object[]}, wraps pointers in new {@link Pointer}s and calls through
     * reflection (about 150 bytes of garbage per call, measured); the direct one, with primitive
     * parameters only, allocates nothing on the Java heap. Pointer parameters are therefore
     * declared {@code long} (64-bit platforms only: the C pointer and the Java long share the
     * calling convention there).
     *
     * <p>JNA makes direct trampolines for callbacks passed to direct-mapped functions; there is no
     * public call for it, so the callback is passed through C {@code memmove(dst, src, 0)}, which
     * copies nothing and returns {@code dst}: the trampoline's address.
     *
     * @throws IllegalArgumentException when the callback method has a non-primitive parameter or
     *                                  return type, or the platform is not 64-bit
     */
    public static long attachedDirect(Callback callback, String threadName) {
        java.lang.reflect.Method m = callbackMethod(callback.getClass());
        for (Class<?> type : m.getParameterTypes()) {
            if (!type.isPrimitive()) {
                throw new IllegalArgumentException("a direct real-time callback takes primitive parameters only (pointers"
                        + " as long); " + m + " takes " + type.getName());
            }
        }
        if (!m.getReturnType().isPrimitive()) {
            throw new IllegalArgumentException("a direct real-time callback returns a primitive; " + m + " returns "
                    + m.getReturnType().getName());
        }
        if (Native.POINTER_SIZE != 8) {
            throw new IllegalArgumentException("direct callbacks with pointers as long need a 64-bit platform; this JVM"
                    + " has " + Native.POINTER_SIZE + "-byte pointers");
        }
        Native.setCallbackThreadInitializer(callback, new CallbackThreadInitializer(true, false, threadName));
        return Trampolines.address(callback);
    }

    /** The one abstract method of the {@link Callback} interface {@code type} implements. */
    private static java.lang.reflect.Method callbackMethod(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (Callback.class.isAssignableFrom(i) && i != Callback.class) {
                    java.lang.reflect.Method[] abstractMethods = java.util.Arrays.stream(i.getMethods())
                            .filter(m -> java.lang.reflect.Modifier.isAbstract(m.getModifiers()))
                            .toArray(java.lang.reflect.Method[]::new);
                    if (abstractMethods.length == 1) {
                        return abstractMethods[0];
                    }
                }
            }
        }
        throw new IllegalArgumentException(type + " implements no Callback interface with exactly one method");
    }

    /** The direct-mapped C call that hands out direct trampolines. */
    private static final class Trampolines {

        private static boolean bound;

        static synchronized long address(Callback callback) {
            if (!bound) {
                Native.register(Trampolines.class, NativeLibrary.getInstance(com.sun.jna.Platform.C_LIBRARY_NAME));
                bound = true;
            }
            return memmove(callback, callback, 0);
        }

        /** C {@code memmove}; with n = 0 it copies nothing and returns {@code dst}. */
        private static native long memmove(Callback dst, Callback src, long n);
    }
}
