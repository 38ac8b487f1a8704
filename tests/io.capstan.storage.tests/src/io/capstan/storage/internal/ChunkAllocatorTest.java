package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

class ChunkAllocatorTest {

    @TempDir
    Path dir;

    @Test
    void handsOverPreparedChunk() throws Exception {
        ChunkAllocator a = new ChunkAllocator(dir, Pcm.STEREO_S16, 10);
        a.take(0);
        a.prepare(1);
        Path prepared = dir.resolve("000001.chunk");
        assertTrue(Files.exists(prepared), "prepared ahead");
        long size = Files.size(prepared);

        StagingChunk c = a.take(1);
        assertEquals(1, c.index());
        assertEquals(prepared, c.file());
        assertEquals(size, Files.size(prepared));
    }

    @Test
    void createsChunkWhenNotPreparedAndSkipsLatePrepare() throws Exception {
        ChunkAllocator a = new ChunkAllocator(dir, Pcm.STEREO_S16, 10);
        a.take(0);
        StagingChunk one = a.take(1); // writer overtook the storage thread
        a.prepare(1); // the late preparation must not recreate it
        assertTrue(Files.exists(one.file()));
        a.prepare(2);
        StagingChunk two = a.take(2);
        assertEquals(2, two.index());
    }

    @Test
    void closeDropsPreparedChunk() throws Exception {
        ChunkAllocator a = new ChunkAllocator(dir, Pcm.STEREO_S16, 10);
        a.take(0);
        a.prepare(1);
        a.close();
        assertFalse(Files.exists(dir.resolve("000001.chunk")));
        assertThrows(IOException.class, () -> a.take(1));
    }
}
