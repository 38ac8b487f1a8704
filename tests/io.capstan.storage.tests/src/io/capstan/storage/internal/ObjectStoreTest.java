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
        ObjectStore store = new ObjectStore(dir);
        byte[] content = "hello chunk".getBytes();
        ByteBuffer data = ByteBuffer.wrap(content);

        String sha = store.put(data);
        assertEquals(DurableFiles.hex(ObjectStore.sha256().digest(content)), sha);
        assertEquals(dir.resolve(sha.substring(0, 2)).resolve(sha.substring(2)), store.path(sha));
        assertArrayEquals(content, Files.readAllBytes(store.path(sha)));
        assertEquals(0, data.position(), "the caller's buffer is not consumed");
    }

    @Test
    void keepsExistingObject() throws Exception {
        ObjectStore store = new ObjectStore(dir);
        String sha = store.put(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        long before = Files.getLastModifiedTime(store.path(sha)).toMillis();
        Files.setLastModifiedTime(store.path(sha), java.nio.file.attribute.FileTime.fromMillis(before - 60_000));

        assertEquals(sha, store.put(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertEquals(before - 60_000, Files.getLastModifiedTime(store.path(sha)).toMillis(), "not replaced");
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(store.path(sha)), files.filter(Files::isRegularFile).toList(), "no temporary left");
        }
    }

    @Test
    void readHashesWhatItReads() throws Exception {
        ObjectStore store = new ObjectStore(dir);
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
        ObjectStore store = new ObjectStore(dir);
        assertThrows(IllegalArgumentException.class, () -> store.path("../../x"));
    }

    @Test
    void removesTheTemporariesOfDeadWritersOnlyAndLeavesNoneOfItsOwn() throws Exception {
        ObjectStore store = new ObjectStore(dir);
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
