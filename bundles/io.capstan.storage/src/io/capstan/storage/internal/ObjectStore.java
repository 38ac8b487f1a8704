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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;

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
    /** Bytes hashed per digest call when storing. */
    private static final int HASH_BLOCK = 64 << 10;

    /** "00" to "ff". */
    private static final String[] HEX2 = new String[256];

    static {
        for (int i = 0; i < 256; i++) {
            HEX2[i] = String.format("%02x", i);
        }
    }

    private final Path dir;
    /**
     * Seals against a collection ({@link GarbageCollector}): a seal holds it shared from storing
     * its object until its reference is written; a collection holds it alone to begin, to end and
     * for each deletion. Takes no memory per acquisition (the storage thread allocates nothing here).
     */
    private final StampedLock collection = new StampedLock();
    /** While a collection runs: the objects stored since it began, which it keeps. */
    private volatile Set<String> storedDuringCollection;

    /** @param dir the {@code objects} directory; nothing is created until {@link #createLayout} */
    ObjectStore(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** @return a store in {@code dir} with its layout created ({@link #createLayout}) */
    static ObjectStore open(Path dir) throws IOException {
        ObjectStore store = new ObjectStore(dir);
        store.createLayout();
        return store;
    }

    /**
     * Creates the {@code objects} directory and its 256 subdirectories {@code 00} to {@code ff}
     * when missing, so that a seal never has to make one and sync its parent. Writes nothing when
     * they all exist (a read-only store stays readable).
     */
    void createLayout() throws IOException {
        DurableFiles.createDirectories(dir);
        boolean made = false;
        for (int i = 0; i < 256; i++) {
            Path sub = this.dir.resolve(HEX2[i]);
            if (!Files.isDirectory(sub)) {
                try {
                    Files.createDirectory(sub);
                    made = true;
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // made by another process meanwhile, or a file in the way: put reports the latter
                }
            }
        }
        if (made) {
            DurableFiles.syncDirectory(this.dir);
        }
    }

    /** @return where the object with this lowercase hex SHA-256 lives */
    Path path(String sha256) {
        if (!isSha256Hex(sha256)) {
            throw new IllegalArgumentException("'" + sha256 + "' is not a lowercase hex SHA-256");
        }
        return address(sha256);
    }

    /** As {@link #path}, for a hash this store computed itself (not checked again). */
    private Path address(String sha256) {
        return dir.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2));
    }

    /** @return true for 64 lowercase hex digits ({@link io.capstan.api.ChunkRef#isSha256}) */
    static boolean isSha256Hex(String s) {
        return io.capstan.api.ChunkRef.isSha256(s);
    }

    /**
     * Stores {@code data} (position to limit; the buffer is not modified): hashes it while writing
     * a temporary file, fsyncs that, and renames it to its address. When an object with that
     * address exists already it is kept (same content) and the temporary file is dropped.
     * For occasional use; a thread that stores many objects keeps a {@link #putter()}.
     *
     * @return the lowercase hex SHA-256 of the data
     */
    String put(ByteBuffer data) throws IOException {
        return putter().put(data);
    }

    /** @return a {@link Putter} for one thread */
    Putter putter() {
        return new Putter();
    }

    /**
     * Stores objects for one thread (a take's storage thread), keeping its digest and its scratch
     * buffer from one object to the next. Not thread-safe. A seal runs about once a second, too
     * seldom for the JIT, so the work per object is kept to a few calls: the digest gets 64 KiB
     * heap blocks (a direct buffer would go through {@code MessageDigestSpi}'s 4 KiB copy loop,
     * which stays interpreted), and nothing throws on the normal path.
     */
    final class Putter {

        private final MessageDigest digest = sha256();
        private final byte[] scratch = new byte[HASH_BLOCK];

        private Putter() {
        }

        /** As {@link ObjectStore#put}. */
        String put(ByteBuffer data) throws IOException {
            Path tmp = dir.resolve(TMP_PREFIX + TMP_NUMBER.incrementAndGet() + TMP_SUFFIX);
            boolean moved = false;
            digest.reset(); // after a failed put it may hold part of that object
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    hash(data.duplicate());
                    ByteBuffer src = data.duplicate();
                    while (src.hasRemaining()) {
                        ch.write(src);
                    }
                    ch.force(false); // fdatasync: the data, and the size needed to read it back
                }
                String sha = DurableFiles.hex(digest.digest());
                Path target = address(sha);
                Path sub = target.getParent();
                if (Files.exists(target)) {
                    // the same content again: freshen it, so that a collection's grace period
                    // (counted from the last store) covers the reference about to be written
                    Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
                } else {
                    try {
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (NoSuchFileException e) {
                        // its subdirectory was removed since the store opened: make it again
                        DurableFiles.createDirectories(sub);
                        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    }
                    moved = true;
                    DurableFiles.syncDirectory(sub);
                }
                return sha;
            } finally {
                if (!moved) {
                    Files.deleteIfExists(tmp); // a failure, or the object existed already
                }
            }
        }

        private void hash(ByteBuffer src) {
            while (src.hasRemaining()) {
                int n = Math.min(src.remaining(), scratch.length);
                src.get(scratch, 0, n);
                digest.update(scratch, 0, n);
            }
        }
    }

    /**
     * Begins a seal: storing an object and writing the reference to it. Pair with
     * {@link #endSeal} in a finally block.
     *
     * @return the stamp to hand to {@link #endSeal}
     */
    long beginSeal() {
        return collection.readLock();
    }

    /**
     * Ends a seal begun by {@link #beginSeal}.
     *
     * @param sha256 the object stored (null when the seal failed before storing it)
     */
    void endSeal(long stamp, String sha256) {
        Set<String> stored = storedDuringCollection;
        if (stored != null && sha256 != null) {
            stored.add(sha256);
        }
        collection.unlockRead(stamp);
    }

    /**
     * Starts a collection: from now on every sealed object is remembered, and every seal in
     * progress has finished (its reference is written).
     *
     * @return the objects stored from now on until {@link #endCollection}
     * @throws IllegalStateException when a collection runs already
     */
    Set<String> beginCollection() {
        long stamp = collection.writeLock();
        try {
            if (storedDuringCollection != null) {
                throw new IllegalStateException("a garbage collection is running already");
            }
            Set<String> stored = ConcurrentHashMap.newKeySet();
            storedDuringCollection = stored;
            return stored;
        } finally {
            collection.unlockWrite(stamp);
        }
    }

    /**
     * Removes temporaries of dead processes while no seal of this one runs (its own temporaries
     * exist only during a seal).
     *
     * @return how many were removed
     */
    int removeTemporariesBetweenSeals() throws IOException {
        long stamp = collection.writeLock();
        try {
            return removeLeftoverTemporaries();
        } finally {
            collection.unlockWrite(stamp);
        }
    }

    /** Ends the collection begun by {@link #beginCollection}. */
    void endCollection() {
        long stamp = collection.writeLock();
        storedDuringCollection = null;
        collection.unlockWrite(stamp);
    }

    /**
     * Deletes an unreferenced object unless it was stored since the collection began or
     * modified after {@code notAfterMillis}; no seal runs meanwhile.
     *
     * @return the bytes freed, or -1 when the object was kept (or was gone already)
     */
    long deleteUnreferenced(String sha256, long notAfterMillis) throws IOException {
        long stamp = collection.writeLock();
        try {
            Set<String> stored = storedDuringCollection;
            if (stored != null && stored.contains(sha256)) {
                return -1;
            }
            Path p = path(sha256);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                return -1;
            }
            if (a.lastModifiedTime().toMillis() > notAfterMillis) {
                return -1;
            }
            Files.delete(p);
            return a.size();
        } finally {
            collection.unlockWrite(stamp);
        }
    }

    /**
     * @return every object's SHA-256 (files under {@code objects/xx/} with a well-formed name;
     *         temporaries and strays are not listed)
     */
    List<String> list() throws IOException {
        List<String> all = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        for (int i = 0; i < 256; i++) {
            Path sub = dir.resolve(HEX2[i]);
            if (!Files.isDirectory(sub)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(sub)) {
                for (Path f : files) {
                    String sha = HEX2[i] + f.getFileName();
                    if (isSha256Hex(sha)) {
                        all.add(sha);
                    }
                }
            }
        }
        return all;
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
    int removeLeftoverTemporaries() throws IOException {
        int removed = 0;
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, "*" + TMP_SUFFIX)) {
            for (Path tmp : tmps) {
                if (!writerAlive(tmp.getFileName().toString()) && Files.deleteIfExists(tmp)) {
                    removed++;
                }
            }
        }
        return removed;
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
