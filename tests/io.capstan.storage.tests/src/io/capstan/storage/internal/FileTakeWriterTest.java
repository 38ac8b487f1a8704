package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.CapstanEvents;
import io.capstan.api.ChunkRef;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

class FileTakeWriterTest {

    private static final int CHUNK_FRAMES = 1000;
    private static final int CHUNK_BYTES = CHUNK_FRAMES * Pcm.STEREO_S16.bytesPerFrame();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path home;
    private final RecordingEventAdmin events = new RecordingEventAdmin();

    private TakeWriter begin() throws Exception {
        return Pcm.store(events, home, CHUNK_BYTES).begin(Pcm.DEVICE, Pcm.STEREO_S16);
    }

    @Test
    void sealsChunkWhenFull() throws Exception {
        TakeWriter w = begin();
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, CHUNK_FRAMES));

        Event sealed = events.await(CapstanEvents.CHUNK_SEALED, 1, WAIT).get(0);
        String sha = (String) sealed.getProperty(CapstanEvents.SHA256);
        byte[] expected = Pcm.frames(Pcm.STEREO_S16, 0, CHUNK_FRAMES).array();
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)), sha);
        Path object = home.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha.substring(2));
        assertArrayEquals(expected, Files.readAllBytes(object));
        Take manifest = new ManifestStore(home.resolve("takes"), home.resolve("staging")).read(w.takeId()).orElseThrow();
        assertEquals(1, manifest.chunks().size(), "a reader of the recording take sees the chunk (from the chunk log)");
        assertEquals(sha, manifest.chunks().get(0).sha256());
        assertEquals(CHUNK_FRAMES, manifest.frames());
        assertEquals(1, w.chunksSealed());
        Take onDisk = new ManifestStore(home.resolve("takes"), home.resolve("no-staging")).read(w.takeId()).orElseThrow();
        assertEquals(0, onDisk.chunks().size(), "the manifest file is not rewritten at a seal; the chunk log is appended");
        assertEquals(1, ChunkLog.read(home.resolve("staging").resolve(w.takeId()).resolve(ChunkLog.FILE_NAME)).size());
    }

    @Test
    void reusesTheStagingFileOfASealedChunk() throws Exception {
        TakeWriter w = begin();
        Path staging = home.resolve("staging").resolve(w.takeId());
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, CHUNK_FRAMES)); // chunk 0 full: sealed, then reused as chunk 2
        events.await(CapstanEvents.CHUNK_SEALED, 1, WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(staging.resolve("000002.chunk")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(Files.exists(staging.resolve("000000.chunk")), "chunk 0's file was renamed");
        StagingChunk.Header h = StagingChunk.readHeader(staging.resolve("000002.chunk"));
        assertEquals(2, h.index());
        assertEquals(0, h.frames(), "the reused file holds no frames");
        ByteBuffer old = ByteBuffer.wrap(Files.readAllBytes(staging.resolve("000002.chunk")))
                .position(StagingChunk.HEADER_BYTES);
        assertEquals(-1, Pcm.mismatch(old.slice(), 0),
                "it is chunk 0's file (a new one would be zeros): no file is zero-filled and mapped per chunk");

        w.write(Pcm.frames(Pcm.STEREO_S16, CHUNK_FRAMES, 2 * CHUNK_FRAMES + 10));
        Take take = w.finish(TakeState.COMPLETE, "stopped");
        assertEquals(4, take.chunks().size());
        long offset = 0;
        for (ChunkRef c : take.chunks()) {
            byte[] data = Files.readAllBytes(home.resolve("objects").resolve(c.sha256().substring(0, 2))
                    .resolve(c.sha256().substring(2)));
            assertEquals(c.bytes(), data.length, "chunk " + c.index() + " holds only its own frames");
            assertEquals(-1, Pcm.mismatch(ByteBuffer.wrap(data), offset), "chunk " + c.index() + " content");
            offset += data.length;
        }
        assertFalse(Files.exists(staging), "no staging file or chunk log is left");
    }

    @Test
    void theWritingThreadAllocatesNothingAlsoAtRotations() throws Exception {
        TakeWriter w = begin();
        Path staging = home.resolve("staging").resolve(w.takeId());
        int blocksPerChunk = 4;
        ByteBuffer[] blocks = new ByteBuffer[blocksPerChunk];
        for (int b = 0; b < blocksPerChunk; b++) {
            blocks[b] = Pcm.frames(Pcm.STEREO_S16, (long) b * CHUNK_FRAMES / blocksPerChunk, CHUNK_FRAMES / blocksPerChunk);
        }
        // the capture thread: fills one chunk per round when told, parks in between (no allocation)
        int warmUp = 40;
        int measured = 40;
        java.util.concurrent.atomic.AtomicInteger go = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Thread test = Thread.currentThread();
        Thread writer = new Thread(() -> {
            try {
                for (int round = 0; round < warmUp + measured; round++) {
                    while (go.get() == round) {
                        java.util.concurrent.locks.LockSupport.park();
                    }
                    for (ByteBuffer b : blocks) {
                        w.write(b.clear());
                    }
                    done.set(round + 1);
                    java.util.concurrent.locks.LockSupport.unpark(test);
                }
                while (go.get() != Integer.MAX_VALUE) { // stay alive until measured: an ended thread has no count
                    java.util.concurrent.locks.LockSupport.park();
                }
            } catch (StorageException e) {
                done.set(-1);
                java.util.concurrent.locks.LockSupport.unpark(test);
            }
        }, "test-capture");
        writer.start();
        long before = 0;
        for (int round = 0; round < warmUp + measured; round++) {
            if (round == warmUp) {
                before = allocatedBytes(writer);
            }
            // as in a real take, the storage thread has the next chunk ready before the writer needs it
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(w.chunksSealed() == round && Files.exists(staging.resolve(ChunkAllocator.fileName(round + 1))))) {
                assertTrue(System.nanoTime() < deadline, "chunk " + (round + 1) + " was not prepared in time");
                Thread.sleep(1);
            }
            go.set(round + 1);
            java.util.concurrent.locks.LockSupport.unpark(writer);
            while (done.get() == round) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertTrue(done.get() > 0, "the writer failed");
        }
        long allocated = allocatedBytes(writer) - before;
        go.set(Integer.MAX_VALUE);
        java.util.concurrent.locks.LockSupport.unpark(writer);
        writer.join();
        Take take = w.finish(TakeState.COMPLETE, "stopped");
        assertEquals(warmUp + measured, take.chunks().size());
        assertEquals(0, allocated, "bytes allocated by the writing thread over " + measured + " chunk rotations");
    }

    /** Bytes {@code t} allocated so far (HotSpot's ThreadMXBean, through JMX: no com.sun import). */
    static long allocatedBytes(Thread t) throws Exception {
        return (Long) java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("java.lang:type=Threading"), "getThreadAllocatedBytes",
                new Object[] { t.threadId() }, new String[] { "long" });
    }

    @Test
    void rotatesWithoutLosingFrames() throws Exception {
        TakeWriter w = begin();
        long written = 0;
        int[] blocks = {1, 999, 1000, 1, 2500, 7, 333, 4096, 3, 1777};
        for (int i = 0; i < 30; i++) {
            int n = blocks[i % blocks.length];
            w.write(Pcm.frames(Pcm.STEREO_S16, written, n));
            written += n;
        }
        Take take = w.finish(TakeState.COMPLETE, "stopped");

        assertEquals(written, w.frames());
        assertEquals(written, take.frames());
        assertEquals((written + CHUNK_FRAMES - 1) / CHUNK_FRAMES, take.chunks().size());
        long offset = 0;
        for (ChunkRef c : take.chunks()) {
            assertEquals(offset, c.firstFrame() * Pcm.STEREO_S16.bytesPerFrame(), "chunk " + c.index() + " first frame");
            byte[] data = Files.readAllBytes(home.resolve("objects").resolve(c.sha256().substring(0, 2))
                    .resolve(c.sha256().substring(2)));
            assertEquals(c.bytes(), data.length);
            assertEquals(-1, Pcm.mismatch(ByteBuffer.wrap(data), offset), "chunk " + c.index() + " content");
            offset += data.length;
        }
        assertEquals(written * Pcm.STEREO_S16.bytesPerFrame(), offset);
    }

    @Test
    void storesTheCaptureStatisticsInTheManifest() throws Exception {
        TakeWriter w = begin();
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, CHUNK_FRAMES + 10));
        // what the capture counted; frames, bytes and chunks are the store's own at the end
        Take take = w.finish(TakeState.COMPLETE, "stopped",
                new io.capstan.api.TakeStatistics(469, 1, 2, 0, 3, 4096, 1, 1024, 270_000, 80_000));

        io.capstan.api.TakeStatistics s = new ManifestStore(home.resolve("takes"), home.resolve("staging")).read(w.takeId()).orElseThrow()
                .statistics();
        assertEquals(take.statistics(), s);
        assertEquals(469, s.callbacks());
        assertEquals(CHUNK_FRAMES + 10, s.frames());
        assertEquals((CHUNK_FRAMES + 10L) * Pcm.STEREO_S16.bytesPerFrame(), s.bytes());
        assertEquals(2, s.chunks());
        assertEquals(3, s.overruns());
        assertEquals(4096, s.overrunFrames());
        assertEquals(1, s.xruns());
        assertEquals(1024, s.xrunFrames());
        assertEquals(270_000, s.longestCallbackNanos());
        assertEquals(80_000, s.p99CallbackNanos());
    }

    @Test
    void aTakeFinishedWithoutStatisticsHasNone() throws Exception {
        TakeWriter w = begin();
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 10));
        w.finish(TakeState.COMPLETE, "stopped");
        assertEquals(null, new ManifestStore(home.resolve("takes"), home.resolve("staging")).read(w.takeId()).orElseThrow().statistics());
    }

    @Test
    void finishSealsLastPartialChunk() throws Exception {
        TakeWriter w = begin();
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, CHUNK_FRAMES + 10));
        Take take = w.finish(TakeState.COMPLETE, "stopped");

        assertEquals(2, take.chunks().size());
        assertEquals(10, take.chunks().get(1).frames());
        assertEquals(CHUNK_FRAMES, take.chunks().get(1).firstFrame());
        assertEquals(TakeState.COMPLETE, take.state());
        assertEquals("stopped", take.reason());
        assertTrue(take.endedAt() != null && !take.endedAt().isBefore(take.startedAt()));
        assertEquals(take, new ManifestStore(home.resolve("takes"), home.resolve("staging")).read(w.takeId()).orElseThrow());
    }

    @Test
    void finishSkipsEmptyLastChunk() throws Exception {
        TakeWriter w = begin();
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 2 * CHUNK_FRAMES));
        Take take = w.finish(TakeState.FAILED, "device gone");

        assertEquals(2, take.chunks().size());
        assertEquals(2L * CHUNK_FRAMES, take.frames());
        assertEquals(TakeState.FAILED, take.state());
        assertEquals(2, events.events(CapstanEvents.CHUNK_SEALED).size());
    }

    @Test
    void removesStagingDirectoryAtFinish() throws Exception {
        TakeWriter w = begin();
        Path staging = home.resolve("staging").resolve(w.takeId());
        assertTrue(Files.isRegularFile(staging.resolve("000000.chunk")), "first chunk allocated at begin");
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 1500));
        w.finish(TakeState.COMPLETE, "stopped");

        assertFalse(Files.exists(staging));
    }

    @Test
    void postsSealedEventPerChunk() throws Exception {
        TakeWriter w = begin();
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 3 * CHUNK_FRAMES + 1));
        Take take = w.finish(TakeState.COMPLETE, "stopped");

        List<Event> sealed = events.await(CapstanEvents.CHUNK_SEALED, 4, WAIT);
        assertEquals(4, sealed.size());
        for (int i = 0; i < sealed.size(); i++) {
            Event e = sealed.get(i);
            ChunkRef c = take.chunks().get(i);
            assertEquals(w.takeId(), e.getProperty(CapstanEvents.TAKE_ID));
            assertEquals(i, e.getProperty(CapstanEvents.CHUNK_INDEX), "sealed in chunk order");
            assertEquals(c.sha256(), e.getProperty(CapstanEvents.SHA256));
            assertEquals(c.firstFrame(), e.getProperty(CapstanEvents.FIRST_FRAME));
            assertEquals(c.frames(), e.getProperty(CapstanEvents.FRAMES));
            for (String key : e.getPropertyNames()) {
                Object v = e.getProperty(key);
                assertTrue(v instanceof String || v instanceof Number, key + " is a string or a number");
            }
        }
    }

    @Test
    void recordsWrittenFramesInStagingHeader() throws Exception {
        TakeWriter w = begin();
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 123));

        StagingChunk.Header h = StagingChunk.readHeader(home.resolve("staging").resolve(w.takeId()).resolve("000000.chunk"));
        assertEquals(123, h.frames());
        assertEquals(CHUNK_FRAMES, h.capacityFrames());
        assertEquals(Pcm.STEREO_S16, h.format());
        w.finish(TakeState.COMPLETE, "stopped");
    }

    @Test
    void rejectsPartialFrames() throws Exception {
        TakeWriter w = begin();
        assertThrows(IllegalArgumentException.class, () -> w.write(ByteBuffer.allocate(3)));
        w.finish(TakeState.COMPLETE, "stopped");
    }

    @Test
    void rejectsWritesAfterFinish() throws Exception {
        TakeWriter w = begin();
        w.finish(TakeState.COMPLETE, "stopped");
        assertThrows(StorageException.class, () -> w.write(Pcm.frames(Pcm.STEREO_S16, 0, 1)));
        assertThrows(IllegalStateException.class, () -> w.finish(TakeState.COMPLETE, "again"));
    }

    @Test
    void rejectsNonFinalFinishState() throws Exception {
        TakeWriter w = begin();
        assertThrows(IllegalArgumentException.class, () -> w.finish(TakeState.RECORDING, "no"));
        w.finish(TakeState.COMPLETE, "stopped");
    }
}
