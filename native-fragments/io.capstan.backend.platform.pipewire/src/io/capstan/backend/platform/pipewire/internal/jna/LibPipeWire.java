package io.capstan.backend.platform.pipewire.internal.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;

import io.capstan.backend.platform.NativeLibraries;

/**
 * The exported functions of libpipewire-0.3 that Capstan calls, bound by JNA direct mapping
 * ({@link Native#register}); C names and argument order kept. The {@code static inline}
 * functions of the headers (registry, node and metadata methods) are in {@link PwAbi}.
 *
 * <p>Thread rules (pipewire/thread-loop.h): every call from a thread other than the loop's own
 * holds {@link #pw_thread_loop_lock} (recursive); callbacks run with the lock held already. The
 * functions of the drain path ({@link #pw_stream_dequeue_buffer}, {@link #pw_stream_queue_buffer},
 * {@link #pw_stream_get_time_n} and the address forms of the loop lock) take raw addresses so
 * that a call allocates nothing.
 *
 * <p>Nothing is bound in a static initializer: {@link #load()} binds once and fails with a
 * message naming every library name tried.
 */
public final class LibPipeWire {

    /** A {@code struct pw_thread_loop *}: a loop running on its own thread. */
    public static final class ThreadLoop extends PointerType {
    }

    /** A {@code struct pw_loop *} (owned by its thread loop). */
    public static final class Loop extends PointerType {
    }

    /** A {@code struct pw_context *}: owns the connection's resources. */
    public static final class Context extends PointerType {
    }

    /** A {@code struct pw_core *}: the connection to the daemon (a proxy; spa_interface first). */
    public static final class Core extends PointerType {
    }

    /** A {@code struct pw_properties *}; ownership passes to the function it is given to. */
    public static final class Properties extends PointerType {
    }

    /** A {@code struct pw_stream *}. */
    public static final class Stream extends PointerType {
    }

    private static boolean loaded;

    private LibPipeWire() {
    }

    /**
     * Loads libpipewire-0.3 and binds this class and the helpers of {@link PwAbi}.
     *
     * @throws UnsatisfiedLinkError naming every library name tried and the package to install
     */
    public static synchronized NativeLibrary load() {
        NativeLibrary lib = NativeLibraries.load("libpipewire-0.3",
                "install the Debian package libpipewire-0.3-0 (and run PipeWire)", "pipewire-0.3",
                "libpipewire-0.3.so.0");
        if (!loaded) {
            Native.register(LibPipeWire.class, lib);
            loaded = true;
        }
        return lib;
    }

    /** Initializes the library (idempotent); argc/argv may be null. */
    public static native void pw_init(Pointer argc, Pointer argv);

    /** @return the version of the library loaded, e.g. "0.3.65" (static string) */
    public static native String pw_get_library_version();

    /** Makes a loop with a thread named {@code name}; props may be null. Not started. */
    public static native ThreadLoop pw_thread_loop_new(String name, Pointer props);

    /** Starts the loop's thread. @return 0 or a negative errno */
    public static native int pw_thread_loop_start(ThreadLoop loop);

    /** Stops the thread and waits for it; never call with the lock held or from the loop thread. */
    public static native void pw_thread_loop_stop(ThreadLoop loop);

    /** Frees a stopped loop. */
    public static native void pw_thread_loop_destroy(ThreadLoop loop);

    public static native void pw_thread_loop_lock(ThreadLoop loop);

    public static native void pw_thread_loop_unlock(ThreadLoop loop);

    /** @return the loop of a thread loop, owned by it */
    public static native Loop pw_thread_loop_get_loop(ThreadLoop loop);

    /** Makes a context on {@code loop}; takes ownership of props (may be null). */
    public static native Context pw_context_new(Loop loop, Properties props, long userDataSize);

    /** Frees a context and everything made from it (cores, proxies, streams). */
    public static native void pw_context_destroy(Context context);

    /**
     * Connects to the daemon named by props' {@code remote.name} (an absolute socket path works),
     * else by the environment. Takes ownership of props. @return null and errno on failure
     */
    public static native Core pw_context_connect(Context context, Properties props, long userDataSize);

    /** Disconnects and frees the core and its proxies. @return 0 or a negative errno */
    public static native int pw_core_disconnect(Core core);

    /** @return new properties parsed from "key=value ..." (may be empty) */
    public static native Properties pw_properties_new_string(String args);

    /** Sets a property (value null removes it). @return 1 when changed, 0 when not, negative errno */
    public static native int pw_properties_set(Properties props, String key, String value);

    /** Makes a stream on {@code core}; takes ownership of props. */
    public static native Stream pw_stream_new(Core core, String name, Properties props);

    /** Adds {@code events} (a {@code struct pw_stream_events}) with {@code hook} storage (zeroed, kept alive). */
    public static native void pw_stream_add_listener(Stream stream, Pointer hook, Pointer events, Pointer data);

    /**
     * Connects a stream. direction 0 = input (capture); targetId {@link PwAbi#PW_ID_ANY} with the
     * {@code target.object} property; params = an array of {@code n} pod pointers (copied).
     */
    public static native int pw_stream_connect(Stream stream, int direction, int targetId, int flags, Pointer params,
            int nParams);

    public static native int pw_stream_disconnect(Stream stream);

    /** Disconnects (if needed) and frees the stream; no callback runs after it returned. */
    public static native void pw_stream_destroy(Stream stream);

    /** Drain path: @return a {@code struct pw_buffer *} with captured data, or 0 when none */
    public static native long pw_stream_dequeue_buffer(long stream);

    /** Drain path: gives a buffer back to PipeWire. @return 0 or a negative errno */
    public static native int pw_stream_queue_buffer(long stream, long buffer);

    /**
     * Copies the stream's time report into {@code time} (a {@code struct pw_time} of {@code size}
     * bytes): ticks of the last buffer PipeWire queued for us, and how many wait. Any thread
     * (a sequence lock inside). @return 0 or a negative errno
     */
    public static native int pw_stream_get_time_n(long stream, long time, long size);

    /** Locks a thread loop by address (recursive); the drain path's form, no argument conversion. */
    public static native void pw_thread_loop_lock(long loop);

    public static native void pw_thread_loop_unlock(long loop);

    /** Destroys a proxy (node, metadata, registry), removing its listeners. */
    public static native void pw_proxy_destroy(Pointer proxy);
}
