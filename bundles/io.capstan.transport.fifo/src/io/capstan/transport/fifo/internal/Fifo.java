package io.capstan.transport.fifo.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.NativeLong;

import io.capstan.transport.fifo.internal.jna.ErrnoException;
import io.capstan.transport.fifo.internal.jna.LibC;

/**
 * The read end of one named pipe: {@code mkfifo} (0600), {@code open} without blocking,
 * {@code poll}, {@code read}, and on {@link #close()} {@code close} and unlink.
 *
 * <p>Threading: create and open on any thread, then poll/read from one thread only; close once,
 * after the last read.
 */
final class Fifo implements AutoCloseable {

    /** Mode of a new FIFO: rw------- (the umask can only narrow it). */
    static final int MODE = 0600;

    private static final NativeLong ONE = new NativeLong(1);

    private final Path path;
    private final LibC.pollfd pollfd = new LibC.pollfd();
    private int fd = -1;
    private boolean closed;

    private Fifo(Path path) {
        this.path = path;
    }

    /**
     * Creates the FIFO (not yet open).
     *
     * @throws FileAlreadyExistsException when the name exists
     * @throws ErrnoException             when mkfifo fails otherwise
     */
    static Fifo create(Path path) throws IOException {
        LibC.load();
        if (LibC.mkfifo(path.toString(), MODE) != 0) {
            ErrnoException e = ErrnoException.last("mkfifo " + path);
            if (e.errno() == LibC.EEXIST) {
                throw new FileAlreadyExistsException(path.toString(), null, e.getMessage());
            }
            throw e;
        }
        return new Fifo(path);
    }

    Path path() {
        return path;
    }

    /**
     * Opens the read end with {@code O_RDONLY | O_NONBLOCK | O_CLOEXEC}: returns at once, with or
     * without a writer. Afterwards a writer's open() does not block either.
     */
    void openForReading() throws IOException {
        if (fd >= 0 || closed) {
            throw new IllegalStateException("FIFO " + path + " is already open or closed");
        }
        int opened = LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (opened < 0) {
            throw ErrnoException.last("open " + path + " for reading");
        }
        fd = opened;
        pollfd.fd = opened;
        pollfd.events = LibC.POLLIN;
    }

    /**
     * Waits up to {@code timeoutMillis} for the FIFO to become readable.
     *
     * @return the returned events ({@link LibC#POLLIN}, {@link LibC#POLLHUP}, ...), 0 on timeout
     *         or when interrupted by a signal. Linux reports POLLHUP only once a writer had
     *         connected and all writers closed; before any writer it reports nothing.
     */
    int poll(int timeoutMillis) throws IOException {
        pollfd.revents = 0;
        int n = LibC.poll(pollfd, ONE, timeoutMillis);
        if (n < 0) {
            ErrnoException e = ErrnoException.last("poll " + path);
            if (e.errno() == LibC.EINTR) {
                return 0;
            }
            throw e;
        }
        return n == 0 ? 0 : pollfd.revents & 0xffff;
    }

    /**
     * Reads into {@code dst} (a direct buffer) from its position up to its limit and advances the
     * position by the bytes read. Never blocks.
     *
     * @return bytes read (&gt; 0); 0 when no writer has the FIFO open (end of data once a writer
     *         had connected); -1 when a writer has it open but nothing is buffered (EAGAIN) or a
     *         signal interrupted the call
     */
    int read(ByteBuffer dst) throws IOException {
        if (!dst.isDirect()) {
            throw new IllegalArgumentException("read needs a direct buffer");
        }
        long n = LibC.read(fd, dst, new NativeLong(dst.remaining())).longValue();
        if (n < 0) {
            ErrnoException e = ErrnoException.last("read " + path);
            if (e.errno() == LibC.EAGAIN || e.errno() == LibC.EINTR) {
                return -1;
            }
            throw e;
        }
        dst.position(dst.position() + (int) n);
        return (int) n;
    }

    /** Closes the read end (if open) and removes the FIFO from the file system. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (fd >= 0) {
                int result = LibC.close(fd);
                fd = -1;
                if (result != 0) {
                    throw ErrnoException.last("close " + path);
                }
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
