package io.capstan.backend.platform;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
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
}
