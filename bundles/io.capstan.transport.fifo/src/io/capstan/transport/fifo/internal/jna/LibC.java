package io.capstan.transport.fifo.internal.jna;

import java.nio.ByteBuffer;
import java.util.Set;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * The few functions of the C library the FIFO transport needs, bound by JNA direct mapping
 * ({@link Native#register(Class, NativeLibrary)}) so that {@code poll} and {@code read} on the
 * reader thread cost no reflection. C names and C argument order are kept.
 *
 * <p>Nothing is bound in a static initializer: {@link #load()} binds the library once and fails
 * with a message naming the library and the platform. Calling a function before {@link #load()}
 * throws {@link UnsatisfiedLinkError}.
 *
 * <p>Errors: functions return -1 (or NULL) and set {@code errno}; JNA keeps {@code errno} per
 * thread after each call, read it with {@link Native#getLastError()} and decode it with
 * {@link ErrnoException#last(String)}.
 *
 * <p>Constants differ between kernels; values are copied from the headers named beside them:
 * Linux values from the asm-generic layout (x86-64, x86, aarch64, arm, riscv64), macOS values
 * from the XNU {@code <sys/fcntl.h>}, {@code <sys/poll.h>}, {@code <sys/errno.h>}.
 */
public final class LibC {

    /** {@code <fcntl.h>}: open for reading only (0 on Linux and macOS). */
    public static final int O_RDONLY = 0;
    /**
     * {@code <fcntl.h>}: do not block in open() or read(). Linux
     * {@code asm-generic/fcntl.h}: 04000 (x86-64, aarch64); macOS {@code <sys/fcntl.h>}: 0x0004.
     */
    public static final int O_NONBLOCK = Platform.isMac() ? 0x0004 : 04000;
    /**
     * {@code <fcntl.h>}: close the descriptor in children after exec. Linux
     * {@code asm-generic/fcntl.h}: 02000000; macOS {@code <sys/fcntl.h>}: 0x01000000.
     */
    public static final int O_CLOEXEC = Platform.isMac() ? 0x01000000 : 02000000;

    /** {@code <poll.h>}: there is data to read (0x001 on Linux and macOS). */
    public static final short POLLIN = 0x001;
    /** {@code <poll.h>}: error condition, output only (0x008). */
    public static final short POLLERR = 0x008;
    /** {@code <poll.h>}: hang up: every writer closed its end, output only (0x010). */
    public static final short POLLHUP = 0x010;
    /** {@code <poll.h>}: the descriptor is not open, output only (0x020). */
    public static final short POLLNVAL = 0x020;

    /** {@code <errno.h>}: no such file or directory (2). */
    public static final int ENOENT = 2;
    /** {@code <errno.h>}: interrupted system call (4). */
    public static final int EINTR = 4;
    /** {@code <errno.h>}: resource temporarily unavailable: Linux 11, macOS 35. */
    public static final int EAGAIN = Platform.isMac() ? 35 : 11;
    /** {@code <errno.h>}: file exists (17). */
    public static final int EEXIST = 17;

    /** Linux architectures whose {@code <fcntl.h>} follows {@code asm-generic/fcntl.h}. */
    private static final Set<String> LINUX_GENERIC_ARCHES = Set.of("x86-64", "x86", "aarch64", "arm", "riscv64");

    private static volatile boolean loaded;

    private LibC() {
    }

    /**
     * Binds the C library once; later calls return at once.
     *
     * @throws IllegalStateException when the platform is not one whose constants are known here,
     *                               or the C library cannot be loaded; the message says which
     */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (LibC.class) {
            if (loaded) {
                return;
            }
            boolean known = Platform.isMac() || Platform.isLinux() && LINUX_GENERIC_ARCHES.contains(Platform.ARCH);
            if (!known) {
                throw new IllegalStateException("the FIFO transport knows the C constants of Linux ("
                        + String.join(", ", LINUX_GENERIC_ARCHES) + ") and macOS, not of " + System.getProperty("os.name")
                        + "/" + Platform.ARCH);
            }
            try {
                Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
                throw new IllegalStateException("cannot load the C library '" + Platform.C_LIBRARY_NAME + "' through JNA on "
                        + System.getProperty("os.name") + "/" + Platform.ARCH + " (jna.library.path="
                        + System.getProperty("jna.library.path") + "): " + e.getMessage(), e);
            }
            loaded = true;
        }
    }

    /**
     * {@code struct pollfd} of {@code <poll.h>}: 8 bytes, the same on Linux and macOS. Not
     * thread-safe: one per descriptor, used by one thread.
     */
    @FieldOrder({ "fd", "events", "revents" })
    public static final class pollfd extends Structure {
        /** {@code int fd}: the descriptor to watch. */
        public int fd;
        /** {@code short events}: requested events, e.g. {@link LibC#POLLIN}. */
        public short events;
        /** {@code short revents}: returned events, written by the kernel. */
        public short revents;
    }

    /**
     * {@code int mkfifo(const char *pathname, mode_t mode)}, {@code <sys/stat.h>}: creates a
     * FIFO; the mode is masked by the umask. Fails with EEXIST when the name exists.
     *
     * @return 0, or -1 with errno set
     */
    public static native int mkfifo(String pathname, int mode);

    /**
     * {@code int open(const char *pathname, int flags, ...)}, {@code <fcntl.h>}, called without
     * the optional mode (only read with O_CREAT). With {@code O_RDONLY | O_NONBLOCK} on a FIFO
     * it returns at once whether or not a writer exists.
     *
     * @return a new descriptor the caller must {@link #close}, or -1 with errno set
     */
    public static native int open(String pathname, int flags);

    /**
     * {@code int close(int fd)}, {@code <unistd.h>}. The descriptor is released even when it
     * fails; never retry.
     *
     * @return 0, or -1 with errno set
     */
    public static native int close(int fd);

    /**
     * {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}, {@code <poll.h>}: waits
     * up to {@code timeout} milliseconds (-1: forever, never used here). {@code nfds_t} is an
     * {@code unsigned long} on Linux and an {@code unsigned int} on macOS; a {@link NativeLong}
     * fits both in a register.
     *
     * @return the number of descriptors with events, 0 on timeout, -1 with errno set
     */
    public static native int poll(pollfd fds, NativeLong nfds, int timeout);

    /**
     * {@code ssize_t read(int fd, void *buf, size_t count)}, {@code <unistd.h>}. {@code buf}
     * must be a direct buffer; JNA passes its address at its current position. On a FIFO opened
     * with O_NONBLOCK: bytes read; 0 when no writer has it open; -1 with EAGAIN when a writer
     * has it open but nothing is buffered.
     */
    public static native NativeLong read(int fd, ByteBuffer buf, NativeLong count);

    /**
     * {@code char *strerror(int errnum)}, {@code <string.h>}: the message of an errno value.
     * The returned string belongs to the C library (copied here at once).
     */
    public static native String strerror(int errnum);

    /** {@code uid_t geteuid(void)}, {@code <unistd.h>}: effective user id; never fails. */
    public static native int geteuid();
}
