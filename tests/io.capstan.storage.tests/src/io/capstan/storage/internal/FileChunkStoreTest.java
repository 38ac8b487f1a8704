package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.AudioFormat;
import io.capstan.api.CapstanEvents;
import io.capstan.api.SampleFormat;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

class FileChunkStoreTest {

    @TempDir
    Path home;
    private final RecordingEventAdmin events = new RecordingEventAdmin();

    @Test
    void createsLayoutAtActivation() throws Exception {
        FileChunkStore store = Pcm.store(events, home.resolve("new/home"), 4096);
        assertEquals(home.resolve("new/home"), store.home());
        for (String dir : List.of("staging", "objects", "takes")) {
            assertTrue(Files.isDirectory(store.home().resolve(dir)), dir);
        }
    }

    @Test
    void activatesFromConfiguration() throws Exception {
        StorageConfig config = new StorageConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StorageConfig.class;
            }

            @Override
            public String home() {
                return home.resolve("configured").toString();
            }

            @Override
            public int chunkSize() {
                return 1003;
            }

            @Override
            public long reserveBytes() {
                return -1;
            }

            @Override
            public long lowSpaceWarningSeconds() {
                return 600;
            }
        };
        FileChunkStore store = new FileChunkStore(events, config);
        assertEquals(home.resolve("configured"), store.home());
        assertEquals(250, store.chunkFrames(Pcm.STEREO_S16), "1003 bytes rounded down to whole 4-byte frames");
        assertEquals(3, store.chunkFrames(new AudioFormat(48_000, 64, SampleFormat.S32_LE)), "1003 / 256 bytes per frame");
        FileChunkStore tiny = Pcm.store(events, home.resolve("tiny"), 1);
        assertEquals(1, tiny.chunkFrames(Pcm.STEREO_S16), "at least one frame per chunk");
    }

    @Test
    void beginWritesManifestAtOnce() throws Exception {
        FileChunkStore store = Pcm.store(events, home, 4096);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);

        assertTrue(TakeIds.isValid(w.takeId()), w.takeId());
        Take t = store.take(w.takeId()).orElseThrow();
        assertEquals(TakeState.RECORDING, t.state());
        assertEquals(Pcm.DEVICE.id(), t.deviceId());
        assertEquals(Pcm.DEVICE.description(), t.description());
        assertEquals(Pcm.DEVICE.backend(), t.backend());
        assertEquals(Pcm.STEREO_S16, t.format());
        assertNull(t.endedAt());
        assertTrue(Files.isRegularFile(home.resolve("staging").resolve(w.takeId()).resolve("000000.chunk")));
        w.finish(TakeState.COMPLETE, "stopped");
    }

    @Test
    void listsTakesOldestFirst() throws Exception {
        FileChunkStore store = Pcm.store(events, home, 4096);
        Take a = store.begin(Pcm.DEVICE, Pcm.STEREO_S16).finish(TakeState.COMPLETE, "a");
        Take b = store.begin(Pcm.DEVICE, Pcm.STEREO_S16).finish(TakeState.COMPLETE, "b");
        Take c = store.begin(Pcm.DEVICE, Pcm.STEREO_S16).finish(TakeState.FAILED, "c");

        assertEquals(List.of(a, b, c), store.takes());
        assertEquals(3, List.of(a.id(), b.id(), c.id()).stream().distinct().count(), "distinct ids");
    }

    @Test
    void unknownTakeIsEmpty() throws Exception {
        FileChunkStore store = Pcm.store(events, home, 4096);
        assertTrue(store.take("20260101-000000-000-0000").isEmpty());
    }

    @Test
    void deactivateFinishesPendingSeals() throws Exception {
        FileChunkStore store = Pcm.store(events, home, 4000);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        w.write(Pcm.frames(Pcm.STEREO_S16, 0, 5000 + 20));

        store.deactivate();

        assertEquals(5, w.chunksSealed(), "the five full chunks were sealed before the thread stopped");
        assertEquals(5, events.events(CapstanEvents.CHUNK_SEALED).size());
        assertThrows(StorageException.class, () -> w.write(Pcm.frames(Pcm.STEREO_S16, 0, 1)));
        FileChunkStore next = Pcm.store(events, home, 4000);
        Take recovered = next.take(w.takeId()).orElseThrow();
        assertEquals(5020, recovered.frames(), "the partial chunk is recovered at the next activation");
        assertEquals(TakeState.RECOVERED, recovered.state());
        events.await(CapstanEvents.TAKE_RECOVERED, 1, Duration.ofSeconds(10));
    }

    @Test
    void aNoteIsKeptInTheManifestAndOnlyOnAFinishedTake() throws Exception {
        FileChunkStore store = Pcm.store(events, home, 4096);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        StorageException recording = assertThrows(io.capstan.api.TakeRecordingException.class,
                () -> store.note(w.takeId(), "too early"));
        assertTrue(recording.getMessage().contains("is recording"), recording.getMessage());
        Take t = w.finish(TakeState.COMPLETE, "stopped");

        assertEquals("  take 3, the good one".strip(), store.note(t.id(), "  take 3, the good one ").note());
        assertEquals("take 3, the good one", Pcm.store(events, home, 4096).take(t.id()).orElseThrow().note(),
                "read back from the manifest by another store");
        assertEquals(t.chunks(), store.take(t.id()).orElseThrow().chunks(), "nothing else changed");
        assertNull(store.note(t.id(), " ").note(), "a blank note removes it");
        assertThrows(IllegalArgumentException.class, () -> store.note(t.id(), "x".repeat(4097)));
    }
}
