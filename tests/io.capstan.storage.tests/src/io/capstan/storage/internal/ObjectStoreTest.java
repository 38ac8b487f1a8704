package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

class ObjectStoreTest {

    @TempDir
    Path dir;

    @Test
    void namesObjectBySha256OfContent() throws Exception {
        ObjectStore store = ObjectStore.open(dir);
        byte[] content = "hello chunk".getBytes();
        ByteBuffer data = ByteBuffer.wrap(content);

        String sha = store.put(data);
        assertEquals(DurableFiles.hex(ObjectStore.sha256().digest(content)), sha);
        assertEquals(dir.resolve(sha.substring(0, 2)).resolve(sha.substring(2)), store.path(sha));
        assertArrayEquals(content, Files.readAllBytes(store.path(sha)));
        assertEquals(0, data.position(), "the caller's buffer is not consumed");
    }

    /** The 256 subdirectories exist from the start; one removed later is made again by the next put that needs it. */
    @Test
    void subdirectoriesAreMadeUpFrontAndAgainWhenRemoved() throws Exception {
        ObjectStore store = ObjectStore.open(dir);
        try (Stream<Path> subs = Files.list(dir)) {
            assertEquals(256, subs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[0-9a-f]{2}")).distinct().count());
        }
        byte[] content = "in a removed directory".getBytes();
        String expected = DurableFiles.hex(ObjectStore.sha256().digest(content));
        Files.delete(dir.resolve(expected.substring(0, 2)));

        assertEquals(expected, store.put(ByteBuffer.wrap(content)));
        assertArrayEquals(content, Files.readAllBytes(store.path(expected)));
        ObjectStore.open(dir); // opening a complete store again changes nothing
        assertArrayEquals(content, Files.readAllBytes(store.path(expected)));
    }

    @Test
    void keepsExistingObject() throws Exception {
        ObjectStore store = ObjectStore.open(dir);
        String sha = store.put(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        Object inode = Files.readAttributes(store.path(sha), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        long before = Files.getLastModifiedTime(store.path(sha)).toMillis();
        Files.setLastModifiedTime(store.path(sha), java.nio.file.attribute.FileTime.fromMillis(before - 60_000));

        assertEquals(sha, store.put(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertEquals(inode, Files.readAttributes(store.path(sha), java.nio.file.attribute.BasicFileAttributes.class)
                .fileKey(), "not replaced: the same file");
        assertTrue(Files.getLastModifiedTime(store.path(sha)).toMillis() > before - 60_000,
                "freshened, for the grace period of a garbage collection");
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(store.path(sha)), files.filter(Files::isRegularFile).toList(), "no temporary left");
        }
    }

    @Test
    void readHashesWhatItReads() throws Exception {
        ObjectStore store = ObjectStore.open(dir);
        byte[] content = new byte[3 << 20];
        new java.util.Random(7).nextBytes(content);
        String sha = store.put(ByteBuffer.wrap(content));
        ByteBuffer copy = ByteBuffer.allocate(content.length);

        assertEquals(sha, store.read(sha, block -> {
            copy.put(block);
            return true;
        }));
        assertArrayEquals(content, copy.array());
        assertThrows(NoSuchFileException.class, () -> store.read("00".repeat(32), b -> true));
    }

    @Test
    void rejectsMalformedAddress() throws Exception {
        ObjectStore store = ObjectStore.open(dir);
        assertThrows(IllegalArgumentException.class, () -> store.path("../../x"));
        assertThrows(IllegalArgumentException.class, () -> store.path("AB".repeat(32)), "upper case");
        assertThrows(IllegalArgumentException.class, () -> store.path("ab".repeat(31) + "g0"));
        assertThrows(IllegalArgumentException.class, () -> store.path("ab".repeat(33)));
        assertThrows(IllegalArgumentException.class, () -> store.path(null));
        assertEquals(dir.resolve("09").resolve("af".repeat(31)), store.path("09" + "af".repeat(31)));
    }

    /**
     * One putter stores objects one after another, from mapped-style direct buffers and heap
     * buffers, of sizes around its 64 KiB hash block and not starting at position 0; a put that
     * failed midway leaves nothing in its digest for the next one.
     */
    @Test
    void aPutterHashesEveryObjectOnItsOwn() throws Exception {
        ObjectStore store = ObjectStore.open(dir);
        ObjectStore.Putter putter = store.putter();
        java.util.Random random = new java.util.Random(11);
        for (int size : new int[] {0, 1, 65_535, 65_536, 65_537, 524_288, 3 * 65_536 + 17}) {
            byte[] content = new byte[size + 5];
            random.nextBytes(content);
            ByteBuffer direct = ByteBuffer.allocateDirect(content.length).put(content).position(5);
            byte[] expected = java.util.Arrays.copyOfRange(content, 5, content.length);

            String sha = putter.put(direct);
            assertEquals(DurableFiles.hex(ObjectStore.sha256().digest(expected)), sha, size + " bytes");
            assertArrayEquals(expected, Files.readAllBytes(store.path(sha)));
            assertEquals(5, direct.position(), "the caller's buffer is not consumed");
        }

        Files.delete(dir.resolve("ab"));
        Files.createFile(dir.resolve("ab")); // a file where the directory of an object must go
        byte[] clash = null;
        for (int i = 0; clash == null; i++) {
            byte[] candidate = ("clash " + i).getBytes();
            if (DurableFiles.hex(ObjectStore.sha256().digest(candidate)).startsWith("ab")) {
                clash = candidate;
            }
        }
        byte[] failing = clash;
        assertThrows(java.io.IOException.class, () -> putter.put(ByteBuffer.wrap(failing)));
        byte[] next = "after a failure".getBytes();
        assertEquals(DurableFiles.hex(ObjectStore.sha256().digest(next)), putter.put(ByteBuffer.wrap(next)));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".tmp")).toList(), "no temporary left");
        }
    }

    @Test
    void removesTheTemporariesOfDeadWritersOnlyAndLeavesNoneOfItsOwn() throws Exception {
        ObjectStore store = ObjectStore.open(dir);
        store.put(ByteBuffer.wrap("one".getBytes()));
        store.put(ByteBuffer.wrap("two".getBytes()));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Process live = new ProcessBuilder("sleep", "30").start();
        try {
            Path ofDead = Files.createFile(dir.resolve("put-" + dead.pid() + "-7.tmp"));
            Path ofLive = Files.createFile(dir.resolve("put-" + live.pid() + "-3.tmp"));
            Path older = Files.createFile(dir.resolve("0b6e1a52-0d3c-4d6f-9a38-7d6a2f0f3c11.tmp"));
            store.removeLeftoverTemporaries();
            assertFalse(Files.exists(ofDead), "a killed writer's object in the making is removed");
            assertFalse(Files.exists(older), "a temporary of the older naming is removed");
            assertTrue(Files.exists(ofLive), "another running Capstan's object in the making is kept");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(ofLive), files.filter(f -> f.toString().endsWith(".tmp")).toList(),
                        "put() leaves no temporary of its own");
            }
        } finally {
            live.destroy();
        }
    }
}
