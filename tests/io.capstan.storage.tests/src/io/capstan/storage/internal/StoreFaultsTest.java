package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.CapstanEvents;
import io.capstan.api.ExportResult;
import io.capstan.api.StorageException;
import io.capstan.api.StoreHealth;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;
import io.capstan.test.pipewire.LoopExt4;
import io.capstan.test.pipewire.Tmpfs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The store on real file systems that fill up or turn read-only (a tmpfs mounted per test, as
 * root): a take ends FAILED or at the reserve with a reason, nothing accepted is lost, and the
 * store always starts. Issue 8 (faults).
 */
class StoreFaultsTest {

    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path tmp;
    private final RecordingEventAdmin events = new RecordingEventAdmin();
    private Tmpfs disk;

    @AfterEach
    void unmount() throws Exception {
        if (disk != null) {
            disk.close();
        }
    }

    private FileChunkStore open(long reserveBytes, long warningSeconds) {
        return new FileChunkStore(events, new StoreSettings(disk.dir(), CHUNK, WavWriter.RIFF_LIMIT, reserveBytes,
                warningSeconds));
    }

    /** Writes the test pattern until the store refuses; returns the refusal. */
    private static StorageException writeUntilRefused(TakeWriter w) {
        for (int i = 0; i < 100_000; i++) {
            try {
                w.write(Pcm.frames(Pcm.STEREO_S16, w.frames(), 4096));
            } catch (StorageException e) {
                return e;
            }
        }
        throw new AssertionError("the store accepted 1.6 GB on a disk of a few MiB");
    }

    /** Exports a take and checks every frame against the pattern. */
    private void assertExact(FileChunkStore store, Take take, long frames) throws Exception {
        assertEquals(frames, take.frames(), "frames kept");
        assertTrue(store.verify(take.id(), null).ok(), "every chunk verifies");
        ExportResult r = store.export(take.id(), tmp.resolve(take.id() + ".wav"), null);
        assertEquals(frames, r.frames());
        try (FileChannel ch = FileChannel.open(r.file())) {
            ByteBuffer all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            int header = (int) (ch.size() - frames * 4);
            all.position(header);
            assertEquals(-1, Pcm.mismatch(all.slice(), 0), "the PCM is the pattern, no frame lost or doubled");
        }
    }

    @Test
    void diskFullMidTakeEndsFailedWithReasonAndRecoverySealsTheRestOnceThereIsSpace() throws Exception {
        disk = Tmpfs.mount(tmp.resolve("disk"), "2m");
        FileChunkStore store = open(0, 0);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 40_000));
        events.await(CapstanEvents.CHUNK_SEALED, 2, Duration.ofSeconds(10)); // the full chunks are sealed first
        disk.fill("other-program"); // something else fills the disk: the next seal meets ENOSPC
        StorageException full = writeUntilRefused(w);
        long accepted = w.frames();
        Files.delete(disk.dir().resolve("other-program")); // space comes back while the take ends

        Take failed = w.finish(TakeState.FAILED, "storage failed: " + full.getMessage());

        assertEquals(TakeState.FAILED, failed.state());
        assertTrue(failed.reason().contains(disk.dir().toString()), failed.reason());
        assertTrue(failed.reason().contains("free of"), "names the free space: " + failed.reason());
        assertTrue(failed.reason().contains("Free space there"), "says what to do: " + failed.reason());
        assertTrue(store.verify(failed.id(), null).ok(), "the chunks sealed before verify");
        assertEquals(TakeState.FAILED, store.take(failed.id()).orElseThrow().state(), "manifest on disk says FAILED");
        // a failed seal leaves its chunk and the rest in staging; a failed allocation (the other way the
        // writer meets ENOSPC) keeps the full chunk in memory and seals it at the end, space having come back
        boolean staged = Files.isDirectory(disk.dir().resolve("staging").resolve(failed.id()));

        FileChunkStore reopened = open(0, 0);

        Take recovered = reopened.take(failed.id()).orElseThrow();
        assertEquals(TakeState.FAILED, recovered.state(), "recovery keeps it FAILED");
        assertEquals(staged, recovered.reason().contains("sealed when the store opened again"), recovered.reason());
        assertFalse(Files.exists(disk.dir().resolve("staging").resolve(failed.id())));
        assertExact(reopened, recovered, accepted);
        TakeWriter again = reopened.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        again.write(Pcm.frames(Pcm.STEREO_S16, 0, 1000));
        assertEquals(TakeState.COMPLETE, again.finish(TakeState.COMPLETE, "stopped").state(), "a new take works");
    }

    @Test
    void diskFullForTheManifestTooIsMarkedFailedByRecoveryAndTheStoreStillStarts() throws Exception {
        disk = Tmpfs.mount(tmp.resolve("disk"), "2m");
        FileChunkStore store = open(0, 0);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 40_000));
        events.await(CapstanEvents.CHUNK_SEALED, 2, Duration.ofSeconds(10));
        Path other = disk.fill("other-program");
        writeUntilRefused(w);
        long accepted = w.frames();
        Path filler = disk.fill("filler"); // not one page left for the manifest

        StorageException e = assertThrows(StorageException.class, () -> w.finish(TakeState.FAILED, "storage failed"));
        assertTrue(e.getMessage().contains("manifest could not be written"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot seal chunk"), e.getMessage());
        assertTrue(e.getMessage().contains("marked FAILED when Capstan next starts"), e.getMessage());

        FileChunkStore full = open(0, 0); // starts on the full disk

        StoreHealth health = full.health();
        assertFalse(health.canRecord());
        assertTrue(health.recordingProblem().contains("reserve"), health.recordingProblem());
        assertFalse(health.warnings().isEmpty(), "recovery could not finish and says so");
        assertTrue(health.warnings().get(0).contains("tried again at the next start"), health.warnings().get(0));
        assertEquals(1, full.takes().size(), "the take is listed");
        assertTrue(full.verify(null, null).ok(), "verify works on a full disk");
        StorageException refused = assertThrows(StorageException.class, () -> full.begin(Pcm.DEVICE, Pcm.STEREO_S16));
        assertTrue(refused.getMessage().contains("free of"), refused.getMessage());

        Files.delete(filler);
        Files.delete(other); // the user frees space
        FileChunkStore reopened = open(0, 0);

        Take recovered = reopened.take(w.takeId()).orElseThrow();
        assertEquals(List.of(), reopened.health().warnings(), "recovery finished");
        assertEquals(TakeState.FAILED, recovered.state(), "the failure mark makes it FAILED, not RECOVERED");
        assertTrue(recovered.reason().contains("cannot seal chunk") // the mark holds the reason when it had room
                || recovered.reason().startsWith("storage failed while recording"), recovered.reason());
        assertExact(reopened, recovered, accepted);
        assertTrue(reopened.health().canRecord());
    }

    @Test
    void takeEndsAtTheReserveNotAtEnospcAndWarnsBefore() throws Exception {
        disk = Tmpfs.mount(tmp.resolve("disk"), "4m");
        FileChunkStore store = open(2 << 20, 3600);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);

        StorageException reserve = writeUntilRefused(w);
        assertTrue(reserve.getMessage().contains("free-space reserve"), reserve.getMessage());
        long accepted = w.frames();
        Take take = w.finish(TakeState.FAILED, "storage failed: " + reserve.getMessage());

        assertEquals(TakeState.FAILED, take.state());
        assertTrue(take.reason().contains("every frame up to then is sealed"), take.reason());
        assertFalse(Files.exists(disk.dir().resolve("staging").resolve(take.id())), "nothing left for recovery");
        assertExact(store, take, accepted);
        List<Event> low = events.await(CapstanEvents.STORE_LOW_SPACE, 1, Duration.ofSeconds(5));
        assertEquals(take.id(), low.get(0).getProperty(CapstanEvents.TAKE_ID));
        assertEquals(2L << 20, low.get(0).getProperty(CapstanEvents.RESERVE_BYTES));
        assertEquals(1, events.events(CapstanEvents.STORE_LOW_SPACE).size(), "warned once");
    }

    @Test
    void newTakeBelowTheReserveIsRefusedWithTheFigures() throws Exception {
        disk = Tmpfs.mount(tmp.resolve("disk"), "4m");
        FileChunkStore store = open(4 << 20, 600);

        StorageException e = assertThrows(StorageException.class, () -> store.begin(Pcm.DEVICE, Pcm.STEREO_S16));

        assertTrue(e.getMessage().contains("free of 4 MiB"), e.getMessage());
        assertTrue(e.getMessage().contains("reserve of 4 MiB"), e.getMessage());
        assertTrue(e.getMessage().contains("reserveBytes"), "says what to do: " + e.getMessage());
        assertTrue(store.takes().isEmpty(), "no take was begun");
        assertFalse(store.health().canRecord());
    }

    @Test
    void readOnlyStoreStartsListsVerifiesExportsRefusesTakesAndRecoversOnceWritable() throws Exception {
        disk = Tmpfs.mount(tmp.resolve("disk"), "8m");
        // takes made by other processes: a read-only remount needs every file closed and unmapped
        String completeId = KilledWriter.leaveStaging(disk.dir(), CHUNK, 40_000, true)[1];
        // a process killed while it recorded leaves staging (a child JVM: its mappings go with it)
        String leftId = KilledWriter.leaveStaging(disk.dir(), CHUNK, 30_000)[1];
        disk.remount("ro");

        FileChunkStore readOnly = open(0, 0);

        assertEquals(2, readOnly.takes().size());
        assertTrue(readOnly.verify(null, null).ok());
        Take complete = readOnly.take(completeId).orElseThrow();
        assertEquals(TakeState.COMPLETE, complete.state());
        assertExact(readOnly, complete, 40_000);
        StoreHealth h = readOnly.health();
        assertNotNull(h.recordingProblem());
        assertTrue(h.recordingProblem().contains("not writable") || h.recordingProblem().contains("read-only"),
                h.recordingProblem());
        assertTrue(h.warnings().stream().anyMatch(s -> s.contains(leftId)), h.warnings().toString());
        StorageException refused = assertThrows(StorageException.class, () -> readOnly.begin(Pcm.DEVICE, Pcm.STEREO_S16));
        assertTrue(refused.getMessage().contains("cannot start a take"), refused.getMessage());

        disk.remount("rw");
        FileChunkStore writable = open(0, 0);

        Take recovered = writable.take(leftId).orElseThrow();
        assertEquals(TakeState.RECOVERED, recovered.state());
        assertExact(writable, recovered, 30_000);
        assertTrue(writable.health().canRecord());
    }

    /**
     * The disk fails under a running take: ext4 on a loop device raises an error and turns
     * read-only (EROFS), as Linux does after an I/O error. The take ends with the reason and what to
     * do; the chunks sealed before verify; the store opens on the read-only disk and refuses takes.
     * (Recovery once it is mounted again: StoreFaultsProductTest, where every process has let go of it.)
     */
    @Test
    void diskTurnedReadOnlyUnderARunningTakeEndsItWithTheReasonAndKeepsWhatWasSealed() throws Exception {
        try (LoopExt4 ext4 = LoopExt4.mount(tmp.resolve("ext4"), 64)) {
            FileChunkStore store = new FileChunkStore(events, new StoreSettings(ext4.dir(), CHUNK, WavWriter.RIFF_LIMIT,
                    0, 0));
            TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
            w.write(Pcm.frames(Pcm.STEREO_S16, 0, 40_000));
            events.await(CapstanEvents.CHUNK_SEALED, 2, Duration.ofSeconds(10));

            ext4.triggerError();

            StorageException refused = writeUntilRefused(w);
            assertTrue(ext4.readOnly());
            assertTrue(refused.getMessage().contains("read-only file system"), refused.getMessage());
            assertTrue(refused.getMessage().contains("mount it read-write again"), refused.getMessage());
            StorageException e = assertThrows(StorageException.class, () -> w.finish(TakeState.FAILED, "storage failed"));
            assertTrue(e.getMessage().contains("its manifest could not be written (read-only file system"),
                    e.getMessage());
            FileChunkStore readOnly = new FileChunkStore(events, new StoreSettings(ext4.dir(), CHUNK,
                    WavWriter.RIFF_LIMIT, 0, 0));
            assertEquals(2, readOnly.take(w.takeId()).orElseThrow().chunks().size(), "the sealed chunks are listed");
            assertTrue(readOnly.verify(null, null).ok(), "and verify");
            assertTrue(readOnly.health().recordingProblem().contains("is not writable"),
                    readOnly.health().recordingProblem());
            assertThrows(StorageException.class, () -> readOnly.begin(Pcm.DEVICE, Pcm.STEREO_S16));
        }
    }

    @Test
    void storeDeletedUnderARunningTakeEndsItWithAReasonAndTheStoreStartsAgain() throws Exception {
        Path home = tmp.resolve("home");
        FileChunkStore store = new FileChunkStore(events, new StoreSettings(home, CHUNK, WavWriter.RIFF_LIMIT));
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 40_000));
        events.await(CapstanEvents.CHUNK_SEALED, 2, Duration.ofSeconds(10));
        try (var files = Files.walk(home)) { // rm -rf by hand while the take records
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }

        StorageException refused = writeUntilRefused(w);
        assertTrue(refused.getMessage().contains("cannot seal chunk") || refused.getMessage().contains("cannot allocate"),
                refused.getMessage());
        StorageException e = assertThrows(StorageException.class, () -> w.finish(TakeState.FAILED, "storage failed"));
        assertTrue(e.getMessage().contains("its manifest could not be written"), e.getMessage());
        assertTrue(e.getMessage().contains(home.toString()), "names the store: " + e.getMessage());

        FileChunkStore again = new FileChunkStore(events, new StoreSettings(home, CHUNK, WavWriter.RIFF_LIMIT));
        assertTrue(again.health().canRecord(), String.valueOf(again.health().recordingProblem()));
        TakeWriter next = again.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        next.write(Pcm.frames(Pcm.STEREO_S16, 0, 1000));
        assertEquals(TakeState.COMPLETE, next.finish(TakeState.COMPLETE, "stopped").state(), "a new take works");
    }

    @Test
    void storeThatCannotBeCreatedStartsAndSaysWhy() throws Exception {
        Path file = tmp.resolve("not-a-directory");
        Files.writeString(file, "x");
        FileChunkStore store = new FileChunkStore(events, new StoreSettings(file.resolve("home"), CHUNK,
                WavWriter.RIFF_LIMIT));

        assertTrue(store.takes().isEmpty());
        StoreHealth h = store.health();
        assertTrue(h.recordingProblem().contains("cannot be written"), h.recordingProblem());
        assertTrue(h.recordingProblem().contains("$CAPSTAN_HOME"), h.recordingProblem());
        StorageException e = assertThrows(StorageException.class, () -> store.begin(Pcm.DEVICE, Pcm.STEREO_S16));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }
}
