package io.capstan.daemon.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;

/**
 * One daemon per user: an exclusive lock on {@code control.lock}, held for the daemon's life
 * and released by the kernel when the process dies, however it dies. Java's
 * {@link FileChannel#tryLock()} is an {@code fcntl(F_SETLK)} record lock on Linux: the same
 * guarantee as PipeWire's {@code flock} for this use (one holder per file, gone with the
 * process). The pid goes to {@code daemon.pid}, written after the lock is held and removed
 * before it is released.
 *
 * <p>Threading: one owner thread.
 */
final class InstanceLock implements AutoCloseable {

    static final String LOCK = "control.lock";
    static final String PID = "daemon.pid";

    private final FileChannel channel;
    private final FileLock lock;
    private final Path pidFile;

    private InstanceLock(FileChannel channel, FileLock lock, Path pidFile) {
        this.channel = channel;
        this.lock = lock;
        this.pidFile = pidFile;
    }

    /** Thrown when another live daemon holds the lock. */
    static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final OptionalLong pid;

        HeldException(OptionalLong pid) {
            super("already running" + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : ""));
            this.pid = pid;
        }

        OptionalLong pid() {
            return pid;
        }
    }

    /**
     * Takes the lock and writes the pid file.
     *
     * @return the lock, and in {@code previous} the pid of a daemon that died holding it, if any
     * @throws HeldException when a live daemon holds it
     */
    static InstanceLock acquire(Path dir) throws IOException, HeldException {
        Path lockFile = dir.resolve(LOCK);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-------"));
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new HeldException(readPid(dir));
        }
        Path pidFile = dir.resolve(PID);
        Path tmp = dir.resolve(PID + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, pidFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new InstanceLock(channel, lock, pidFile);
    }

    /** @return the pid in {@code daemon.pid}, if it holds one */
    static OptionalLong readPid(Path dir) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(dir.resolve(PID), StandardCharsets.US_ASCII).trim()));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Removes the pid file and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(pidFile);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
