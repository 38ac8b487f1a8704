package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.CapstanEvents;
import io.capstan.api.ChunkRef;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

class RecoveryTest {

    private static final int CHUNK_FRAMES = 1000;
    private static final int CHUNK_BYTES = CHUNK_FRAMES * Pcm.STEREO_S16.bytesPerFrame();

    @TempDir
    Path home;
    private final RecordingEventAdmin events = new RecordingEventAdmin();

    @Test
    void recoversStagingLeftByKilledProcess() throws Exception {
        long frames = 12 * CHUNK_FRAMES + 345;
        String[] words = KilledWriter.leaveStaging(home, CHUNK_BYTES, frames);
        String takeId = words[1];
        assertEquals(frames, Long.parseLong(words[2]));
        assertTrue(Files.isDirectory(home.resolve("staging").resolve(takeId)), "the killed writer left staging");

        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);

        Take take = store.take(takeId).orElseThrow();
        assertEquals(TakeState.RECOVERED, take.state());
        assertEquals(Recovery.REASON, take.reason());
        assertEquals(frames, take.frames(), "every written frame recovered");
        assertContiguousPattern(store, take);
        assertFalse(Files.exists(home.resolve("staging").resolve(takeId)));
        Event e = events.await(CapstanEvents.TAKE_RECOVERED, 1, java.time.Duration.ofSeconds(10)).get(0);
        assertEquals(takeId, e.getProperty(CapstanEvents.TAKE_ID));
        assertEquals(frames, e.getProperty(CapstanEvents.FRAMES));
        assertEquals(take.chunks().size(), e.getProperty(CapstanEvents.CHUNKS));
        assertEquals(Recovery.REASON, e.getProperty(CapstanEvents.REASON));
        assertTrue(store.verify(takeId, null).ok());
    }

    @Test
    void recreatesMissingManifestFromChunkHeaders() throws Exception {
        String takeId = abandonTake(2 * CHUNK_FRAMES + 10, false);
        Files.delete(home.resolve("takes").resolve(takeId + ".json"));

        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);

        Take take = store.take(takeId).orElseThrow();
        assertEquals("unknown", take.deviceId());
        assertEquals(Pcm.STEREO_S16, take.format());
        assertEquals(TakeState.RECOVERED, take.state());
        assertEquals(2L * CHUNK_FRAMES + 10, take.frames());
        assertEquals(TakeIds.startOf(takeId).orElseThrow(), take.startedAt());
        assertContiguousPattern(store, take);
    }

    @Test
    void keepsTornChunkAside() throws Exception {
        String takeId = abandonTake(CHUNK_FRAMES / 2, false);
        Path chunk = home.resolve("staging").resolve(takeId).resolve("000000.chunk");
        try (FileChannel ch = FileChannel.open(chunk, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x55}), 13); // inside the checksummed header
        }
        byte[] torn = Files.readAllBytes(chunk);

        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);

        Take take = store.take(takeId).orElseThrow();
        assertEquals(TakeState.RECOVERED, take.state());
        assertEquals(0, take.frames());
        assertTrue(take.reason().startsWith(Recovery.REASON) && take.reason().contains("kept in"), take.reason());
        List<Path> aside = store.recovery().keptAside();
        assertEquals(1, aside.size());
        assertTrue(java.util.Arrays.equals(torn, Files.readAllBytes(aside.get(0))), "the torn file is kept unchanged");
    }

    @Test
    void skipsChunksSealedBeforeTheProcessDied() throws Exception {
        String takeId = abandonTake(3 * CHUNK_FRAMES + 5, true);
        Take before = new ManifestStore(home.resolve("takes"), home.resolve("staging")).read(takeId).orElseThrow();
        assertEquals(3, before.chunks().size(), "three chunks were sealed before the abandon");
        // the process died after the manifest listed chunk 2 but before its staging file was deleted
        Path stale = home.resolve("staging").resolve(takeId).resolve("000002.chunk");
        StagingChunk copy = StagingChunk.create(stale, 2, Pcm.STEREO_S16, CHUNK_FRAMES);
        copy.write(Pcm.frames(Pcm.STEREO_S16, 2 * CHUNK_FRAMES, CHUNK_FRAMES));

        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);

        Take take = store.take(takeId).orElseThrow();
        assertEquals(4, take.chunks().size());
        assertEquals(3L * CHUNK_FRAMES + 5, take.frames());
        assertContiguousPattern(store, take);
    }

    @Test
    void rebuildsALostManifestFromTheChunkLogAndTheStagingFiles() throws Exception {
        String takeId = abandonTake(3 * CHUNK_FRAMES + 5, true); // 3 chunks only in the log, 5 frames in staging
        Files.delete(home.resolve("takes").resolve(takeId + ".json"));

        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);

        Take take = store.take(takeId).orElseThrow();
        assertEquals(TakeState.RECOVERED, take.state());
        assertEquals(4, take.chunks().size());
        assertEquals(3L * CHUNK_FRAMES + 5, take.frames());
        assertContiguousPattern(store, take);
        assertFalse(Files.exists(home.resolve("staging").resolve(takeId)));
    }

    @Test
    void aTornLastLogLineIsSealedAgainFromStaging() throws Exception {
        String takeId = abandonTake(2 * CHUNK_FRAMES + 5, true);
        Path dir = home.resolve("staging").resolve(takeId);
        Path log = dir.resolve(ChunkLog.FILE_NAME);
        // the process died while appending chunk 1's line, before its staging file was reused
        byte[] bytes = Files.readAllBytes(log);
        int lastLine = new String(bytes, StandardCharsets.US_ASCII).lastIndexOf('\n', bytes.length - 2) + 1;
        Files.write(log, java.util.Arrays.copyOf(bytes, lastLine + 20));
        StagingChunk again = StagingChunk.create(dir.resolve("000001.chunk.again"), 1, Pcm.STEREO_S16, CHUNK_FRAMES);
        again.write(Pcm.frames(Pcm.STEREO_S16, CHUNK_FRAMES, CHUNK_FRAMES));

        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);

        Take take = store.take(takeId).orElseThrow();
        assertEquals(3, take.chunks().size());
        assertEquals(2L * CHUNK_FRAMES + 5, take.frames());
        assertContiguousPattern(store, take);
    }

    @Test
    void leavesFinishedTakesAlone() throws Exception {
        TakeWriter w = Pcm.store(events, home, CHUNK_BYTES).begin(Pcm.DEVICE, Pcm.STEREO_S16);
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 1500));
        Take done = w.finish(TakeState.COMPLETE, "stopped");

        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);

        assertEquals(done, store.take(done.id()).orElseThrow());
        assertTrue(store.recovery().recovered().isEmpty());
        assertTrue(events.events(CapstanEvents.TAKE_RECOVERED).isEmpty());
    }

    /**
     * Begins a take in this process and abandons it without finishing: the storage thread is shut
     * down (after the seals queued so far when {@code sealFull}, else before any) and the store dropped.
     */
    private String abandonTake(long frames, boolean sealFull) throws Exception {
        RecordingEventAdmin quiet = new RecordingEventAdmin();
        FileChunkStore store = Pcm.store(quiet, home, CHUNK_BYTES);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        if (!sealFull) {
            ((FileTakeWriter) w).shutdown(java.time.Duration.ofSeconds(30));
            // a shut-down writer rejects frames: write them straight into its staging chunks instead
            writeStaging(w.takeId(), frames);
        } else {
            w.write(Pcm.frames(Pcm.STEREO_S16, 0, (int) frames));
            quiet.await(CapstanEvents.CHUNK_SEALED, (int) (frames / CHUNK_FRAMES), java.time.Duration.ofSeconds(30));
            store.deactivate();
        }
        return w.takeId();
    }

    private void writeStaging(String takeId, long frames) throws Exception {
        Path dir = home.resolve("staging").resolve(takeId);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        for (int i = 0; (long) i * CHUNK_FRAMES < frames; i++) {
            StagingChunk c = StagingChunk.create(dir.resolve(ChunkAllocator.fileName(i)), i, Pcm.STEREO_S16, CHUNK_FRAMES);
            long first = (long) i * CHUNK_FRAMES;
            c.write(Pcm.frames(Pcm.STEREO_S16, first, (int) Math.min(CHUNK_FRAMES, frames - first)));
        }
    }

    private static void assertContiguousPattern(FileChunkStore store, Take take) throws Exception {
        long frame = 0;
        for (ChunkRef c : take.chunks()) {
            assertEquals(frame, c.firstFrame(), "first frame of chunk " + c.index());
            byte[] data = Files.readAllBytes(store.home().resolve("objects").resolve(c.sha256().substring(0, 2))
                    .resolve(c.sha256().substring(2)));
            assertEquals(-1, Pcm.mismatch(ByteBuffer.wrap(data), frame * take.format().bytesPerFrame()),
                    "content of chunk " + c.index());
            frame += c.frames();
        }
        assertEquals(take.frames(), frame);
    }

}
