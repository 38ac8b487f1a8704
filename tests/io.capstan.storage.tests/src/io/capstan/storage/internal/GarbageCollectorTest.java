package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.capstan.api.CapstanEvents;
import io.capstan.api.ChunkRef;
import io.capstan.api.GarbageReport;
import io.capstan.api.ProgressListener;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;
import io.capstan.api.UnknownTakeException;

/** {@link FileChunkStore#delete} and {@link FileChunkStore#collectGarbage} on a real store. */
class GarbageCollectorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** 1000 frames of 16-bit stereo per chunk. */
    private static final int CHUNK_BYTES = 4000;

    @TempDir
    Path home;
    private final RecordingEventAdmin events = new RecordingEventAdmin();

    /** A finished take of {@code frames} frames of the pattern from frame {@code first} (distinct content per first). */
    private static Take take(FileChunkStore store, long first, int frames) throws Exception {
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        w.write(Pcm.frames(Pcm.STEREO_S16, first, frames));
        return w.finish(TakeState.COMPLETE, "stopped");
    }

    private static Set<String> objects(FileChunkStore store) throws Exception {
        return new HashSet<>(new ObjectStore(store.home().resolve("objects")).list());
    }

    private static Set<String> shas(Take t) {
        Set<String> s = new HashSet<>();
        t.chunks().forEach(c -> s.add(c.sha256()));
        return s;
    }

    @Test
    void removeThenCollectFreesExactlyTheObjectsNoTakeRefersTo() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take a = take(store, 0, 3000);
        Take b = take(store, 100_000, 2000);
        Take sameAsB = take(store, 100_000, 2000); // the same content: the same objects
        assertEquals(5, objects(store).size());

        Take removed = store.delete(a.id());
        assertEquals(a.id(), removed.id());
        assertTrue(store.take(a.id()).isEmpty());
        assertEquals(5, objects(store).size(), "rm leaves the objects to gc");
        store.delete(b.id());

        GarbageReport r = store.collectGarbage(0, ProgressListener.NONE);

        assertEquals(5, r.objects());
        assertEquals(3, r.deleted(), "A's three objects; B's are still the other take's");
        assertEquals(3L * CHUNK_BYTES, r.bytesFreed());
        assertEquals(2, r.referenced());
        assertEquals(shas(sameAsB), objects(store));
        assertTrue(store.verify(null, ProgressListener.NONE).ok());
        assertEquals(1, events.events(CapstanEvents.STORE_COLLECTED).size());
        assertEquals(2, events.events(CapstanEvents.TAKE_DELETED).size());
    }

    @Test
    void collectKeepsTheChunksOfATakeThatIsRecording() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 2500));
        events.await(CapstanEvents.CHUNK_SEALED, 2, WAIT);

        GarbageReport r = store.collectGarbage(0, ProgressListener.NONE);

        assertEquals(0, r.deleted());
        assertEquals(2, r.referenced(), "both sealed chunks, from the take's chunk log");
        Take t = w.finish(TakeState.COMPLETE, "stopped");
        assertEquals(2500, t.frames());
        assertTrue(store.verify(t.id(), ProgressListener.NONE).ok());
    }

    @Test
    void anObjectStoredWhileACollectionRunsIsKept() throws Exception {
        ObjectStore objects = ObjectStore.open(home.resolve("objects"));
        Set<String> meanwhile = objects.beginCollection();
        long stamp = objects.beginSeal();
        String sha = objects.putter().put(Pcm.frames(Pcm.STEREO_S16, 0, 10));
        objects.endSeal(stamp, sha);
        try {
            assertTrue(meanwhile.contains(sha));
            assertEquals(-1, objects.deleteUnreferenced(sha, Long.MAX_VALUE), "stored during the collection");
            assertThrows(IllegalStateException.class, objects::beginCollection, "one collection at a time");
        } finally {
            objects.endCollection();
        }
        objects.beginCollection();
        try {
            assertTrue(objects.deleteUnreferenced(sha, Long.MAX_VALUE) > 0, "a later collection deletes it");
        } finally {
            objects.endCollection();
        }
    }

    @Test
    void unreferencedObjectsYoungerThanTheGraceAreKept() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        ObjectStore objects = new ObjectStore(store.home().resolve("objects"));
        String stray = objects.put(Pcm.frames(Pcm.STEREO_S16, 7, 10));

        GarbageReport young = store.collectGarbage(3600, ProgressListener.NONE);
        assertEquals(0, young.deleted());
        assertEquals(1, young.keptYoung());

        Files.setLastModifiedTime(objects.path(stray), FileTime.from(Instant.now().minusSeconds(7200)));
        GarbageReport old = store.collectGarbage(3600, ProgressListener.NONE);
        assertEquals(1, old.deleted());
        assertFalse(Files.exists(objects.path(stray)));
    }

    @Test
    void storingContentThatExistsFreshensTheObject() throws Exception {
        ObjectStore objects = ObjectStore.open(home.resolve("objects"));
        ByteBuffer data = Pcm.frames(Pcm.STEREO_S16, 3, 100);
        String sha = objects.put(data);
        FileTime old = FileTime.from(Instant.now().minusSeconds(7200));
        Files.setLastModifiedTime(objects.path(sha), old);

        assertEquals(sha, objects.put(data));

        assertTrue(Files.getLastModifiedTime(objects.path(sha)).toInstant().isAfter(Instant.now().minusSeconds(60)),
                "a take that stores it again must not lose it to a collection's grace period");
    }

    @Test
    void aRecordingTakeCannotBeRemoved() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        StorageException e = assertThrows(io.capstan.api.TakeRecordingException.class, () -> store.delete(w.takeId()));
        assertTrue(e.getMessage().contains("is recording") && e.getMessage().contains("stop-take"), e.getMessage());
        w.finish(TakeState.COMPLETE, "stopped");
        assertThrows(UnknownTakeException.class, () -> store.delete("20260101-000000-000-0000"));
    }

    @Test
    void removingATakeRemovesWhatRecoveryLeftInStaging() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take t = take(store, 0, 1500);
        Path leftover = store.home().resolve("staging").resolve(t.id());
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve(Recovery.FAILED_MARK), "the disk was full");

        store.delete(t.id());

        assertFalse(Files.exists(leftover));
        assertFalse(Files.exists(store.home().resolve("takes").resolve(t.id() + ".json")));
    }

    @Test
    void aCollectionStoppedHalfwayLeavesAStoreThatVerifies() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take keep = take(store, 0, 4000);
        Take gone = take(store, 500_000, 6000);
        store.delete(gone.id());
        int[] seen = {0};

        GarbageReport half = store.collectGarbage(0, (done, total) -> ++seen[0] < 5);

        assertTrue(half.deleted() > 0 && half.deleted() < 6, "stopped after five objects: " + half);
        assertTrue(store.verify(null, ProgressListener.NONE).ok(), "every reference still resolves");
        GarbageReport rest = store.collectGarbage(0, ProgressListener.NONE);
        assertEquals(6, half.deleted() + rest.deleted());
        List<ChunkRef> kept = store.take(keep.id()).orElseThrow().chunks();
        assertEquals(shas(keep), new HashSet<>(kept.stream().map(ChunkRef::sha256).toList()));
        assertEquals(shas(keep), objects(store));
    }
}
