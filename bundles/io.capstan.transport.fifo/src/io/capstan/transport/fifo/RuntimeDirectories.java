package io.capstan.transport.fifo;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

import io.capstan.transport.fifo.internal.RuntimeDirectory;

/**
 * Capstan's private runtime directory, shared by every part that puts a socket, lock or FIFO
 * there: {@code $XDG_RUNTIME_DIR/capstan}, or {@code capstan-<user>} under
 * {@code java.io.tmpdir} when XDG_RUNTIME_DIR is unset or not an absolute directory. Created
 * 0700; an existing one is used only when it is a real directory owned by this user with no
 * group or other permissions.
 *
 * <p>{@link #path()} needs no native code, so a plain-Java client (no OSGi framework) can find
 * the daemon's socket with it. Threading: thread-safe.
 */
public final class RuntimeDirectories {

    private RuntimeDirectories() {
    }

    /** @return the runtime directory of the current user; nothing is created or checked */
    public static Path path() {
        return RuntimeDirectory.currentUser(false).path();
    }

    /**
     * Creates the runtime directory (0700) or checks the existing one.
     *
     * @return its path
     * @throws IOException with a message saying what is wrong and what to do
     */
    public static Path prepare() throws IOException {
        RuntimeDirectory directory = RuntimeDirectory.currentUser(true);
        directory.prepare();
        return directory.path();
    }

    /**
     * Creates a FIFO (mode 0600) at {@code path}.
     *
     * @throws FileAlreadyExistsException when something exists at that name
     * @throws IOException                when mkfifo fails otherwise (errno decoded)
     */
    public static void createFifo(Path path) throws IOException {
        RuntimeDirectory.mkfifo(path);
    }
}
