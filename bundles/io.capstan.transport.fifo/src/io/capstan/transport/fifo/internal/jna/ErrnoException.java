package io.capstan.transport.fifo.internal.jna;

import java.io.IOException;

import com.sun.jna.Native;

/** A C library call failed; carries the errno value and its decoded message. */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public ErrnoException(String action, int errno) {
        super(action + ": " + describe(errno));
        this.errno = errno;
    }

    /**
     * Captures errno of the last C call on this thread; call it right after the failed call.
     *
     * @param action what failed, e.g. {@code "mkfifo /run/user/1000/capstan/pcm-12-1.fifo"}
     */
    public static ErrnoException last(String action) {
        return new ErrnoException(action, Native.getLastError());
    }

    /** @return the errno value, e.g. {@link LibC#EEXIST} */
    public int errno() {
        return errno;
    }

    /** @return {@code "<strerror text> (errno N)"} */
    public static String describe(int errno) {
        String text;
        try {
            text = LibC.strerror(errno);
        } catch (UnsatisfiedLinkError e) {
            text = null;
        }
        return (text == null ? "error" : text) + " (errno " + errno + ")";
    }
}
