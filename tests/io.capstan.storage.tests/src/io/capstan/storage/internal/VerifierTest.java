package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;
import io.capstan.api.UnknownTakeException;
import io.capstan.api.VerifyReport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class VerifierTest {

    private static final int CHUNK_BYTES = 4000;

    @TempDir
    Path home;
    private final RecordingEventAdmin events = new RecordingEventAdmin();

    private Take record(FileChunkStore store, long firstFrame, int frames) throws Exception {
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        w.write(Pcm.frames(Pcm.STEREO_S16, firstFrame, frames));
        return w.finish(TakeState.COMPLETE, "stopped");
    }

    private Path object(String sha) {
        return home.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha.substring(2));
    }

    @Test
    void verifyPassesIntactStore() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        record(store, 0, 2500);
        record(store, 100_000, 1200);

        VerifyReport r = store.verify(null, null);
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(2, r.takes());
        assertEquals(5, r.chunks());
    }

    @Test
    void verifyReportsCorruptedObject() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take take = record(store, 0, 2500);
        String sha = take.chunks().get(2).sha256();
        byte[] bytes = Files.readAllBytes(object(sha));
        bytes[0] ^= (byte) 0x80;
        Files.write(object(sha), bytes);

        VerifyReport r = store.verify(take.id(), null);
        assertEquals(1, r.problems().size());
        VerifyReport.Problem p = r.problems().get(0);
        assertEquals(take.id(), p.takeId());
        assertEquals(2, p.index());
        assertEquals(sha, p.expected());
        assertEquals(DurableFiles.hex(ObjectStore.sha256().digest(bytes)), p.actual());
    }

    @Test
    void verifyReportsMissingObject() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        record(store, 0, 900);
        Take take = record(store, 0, 2500);
        Files.delete(object(take.chunks().get(0).sha256()));

        VerifyReport r = store.verify(null, null);
        assertEquals(1, r.problems().size());
        assertEquals(new VerifyReport.Problem(take.id(), 0, take.chunks().get(0).sha256(), Verifier.MISSING),
                r.problems().get(0));
        assertEquals(2, r.takes());
    }

    @Test
    void verifyNamesAnUnreadableObjectAndChecksTheRest() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take take = record(store, 0, 2500);
        Path first = object(take.chunks().get(0).sha256());
        Files.delete(first);
        Files.createDirectory(first); // reading it fails (EISDIR), as a bad sector's EIO would
        Path last = object(take.chunks().get(take.chunks().size() - 1).sha256());
        Files.write(last, new byte[] {1, 2, 3});

        VerifyReport r = store.verify(take.id(), null);

        assertEquals(2, r.problems().size(), "the unreadable chunk and the corrupted one: " + r.problems());
        assertTrue(r.problems().get(0).actual().startsWith(Verifier.UNREADABLE + " ("), r.problems().get(0).actual());
        assertEquals(take.chunks().size() - 1, r.problems().get(1).index());
    }

    @Test
    void verifyOfUnknownTakeFails() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        assertThrows(UnknownTakeException.class, () -> store.verify("20260101-000000-000-0000", null));
    }
}
