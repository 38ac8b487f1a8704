package io.capstan.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sealed chunks, immutable and named by the SHA-256 of their content:
 * {@code objects/<first 2 hex>/<remaining 62 hex>}. Thread-safe.
 */
final class ObjectStore {

    private static final String TMP_SUFFIX = ".tmp";
    /**
     * Temporary object names: this process's id and a counter. (A random UUID cost a read of
     * /dev/urandom and SHA1PRNG mixing per chunk, run interpreted at one chunk a second.)
     */
    private static final String TMP_PREFIX = "put-" + ProcessHandle.current().pid() + "-";
    private static final AtomicLong TMP_NUMBER = new AtomicLong();
    private static final int BLOCK = 1 << 20;

    private final Path dir;

    /** @param dir the {@code objects} directory (created when missing) */
    ObjectStore(Path dir) throws IOException {
        this.dir = DurableFiles.createDirectories(dir);
    }

    /** @return where the object with this lowercase hex SHA-256 lives */
    Path path(String sha256) {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("'" + sha256 + "' is not a lowercase hex SHA-256");
        }
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    /**
     * Stores {@code data} (position to limit; the buffer is not modified): hashes it while writing
     * a temporary file, fsyncs that, and renames it to its address. When an object with that
     * address exists already it is kept (same content) and the temporary file is dropped.
     *
     * @return the lowercase hex SHA-256 of the data
     */
    String put(ByteBuffer data) throws IOException {
        MessageDigest digest = sha256();
        Path tmp = dir.resolve(TMP_PREFIX + TMP_NUMBER.incrementAndGet() + TMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                digest.update(data.duplicate());
                ByteBuffer src = data.duplicate();
                while (src.hasRemaining()) {
                    ch.write(src);
                }
                ch.force(true);
            }
            String sha = DurableFiles.hex(digest.digest());
            Path target = path(sha);
            Path sub = target.getParent();
            if (!Files.isDirectory(sub)) {
                DurableFiles.createDirectories(sub);
            }
            if (Files.exists(target)) {
                Files.delete(tmp);
            } else {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                DurableFiles.syncDirectory(sub);
            }
            return sha;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A sink for the bytes of an object while it is hashed. */
    @FunctionalInterface
    interface BlockSink {
        /**
         * @param block the next bytes of the object (position to limit)
         * @return false to stop reading
         */
        boolean accept(ByteBuffer block) throws IOException;
    }

    /**
     * Reads an object from start to end, handing each block to {@code sink}, and hashes it.
     *
     * @return the lowercase hex SHA-256 of what was read, or null when the sink stopped early
     * @throws NoSuchFileException when there is no object at that address
     */
    String read(String sha256, BlockSink sink) throws IOException {
        MessageDigest digest = sha256();
        try (FileChannel ch = FileChannel.open(path(sha256), StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BLOCK);
            while (ch.read(buf.clear()) >= 0) {
                buf.flip();
                digest.update(buf.duplicate());
                if (!sink.accept(buf)) {
                    return null;
                }
            }
        }
        return DurableFiles.hex(digest.digest());
    }

    /**
     * Deletes temporary files left by a process killed while it stored an object; those of a
     * process still running (another Capstan on the same store) are its objects in the making.
     */
    void removeLeftoverTemporaries() throws IOException {
        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, "*" + TMP_SUFFIX)) {
            for (Path tmp : tmps) {
                if (!writerAlive(tmp.getFileName().toString())) {
                    Files.deleteIfExists(tmp);
                }
            }
        }
    }

    /** @return true when the temporary file's name is {@code put-<pid>-<n>.tmp} of another live process */
    static boolean writerAlive(String name) {
        if (!name.startsWith("put-")) {
            return false;
        }
        int dash = name.indexOf('-', 4);
        try {
            long pid = Long.parseLong(name.substring(4, dash < 0 ? 4 : dash));
            return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the Java runtime lacks SHA-256, which every Java SE has", e);
        }
    }
}
