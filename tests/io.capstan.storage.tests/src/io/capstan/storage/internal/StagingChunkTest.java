package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.AudioFormat;
import io.capstan.api.SampleFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

class StagingChunkTest {

    @TempDir
    Path dir;

    @Test
    void preallocatesHeaderAndDataRegion() throws Exception {
        Path file = dir.resolve("000000.chunk");
        StagingChunk.create(file, 0, Pcm.STEREO_S16, 250);

        assertEquals(StagingChunk.HEADER_BYTES + 1000, Files.size(file));
        StagingChunk.Header h = StagingChunk.readHeader(file);
        assertEquals(new StagingChunk.Header(0, Pcm.STEREO_S16, 250, 0), h);
    }

    @Test
    void writesOnlyWholeFramesUpToCapacity() throws Exception {
        StagingChunk c = StagingChunk.create(dir.resolve("000007.chunk"), 7, Pcm.STEREO_S16, 100);
        ByteBuffer src = Pcm.frames(Pcm.STEREO_S16, 0, 150);

        assertEquals(100, c.write(src));
        assertTrue(c.isFull());
        assertEquals(400, src.position(), "only what fitted was taken");
        assertEquals(0, c.write(src));
        assertEquals(-1, Pcm.mismatch(c.data(), 0));
        assertEquals(400, c.data().remaining());
    }

    @Test
    void updatesFramesWrittenInHeaderAfterEachWrite() throws Exception {
        Path file = dir.resolve("000003.chunk");
        AudioFormat f = new AudioFormat(96_000, 6, SampleFormat.S24_LE);
        StagingChunk c = StagingChunk.create(file, 3, f, 1000);
        c.write(Pcm.frames(f, 0, 17));
        c.write(Pcm.frames(f, 17, 4));

        StagingChunk.Header h = StagingChunk.readHeader(file);
        assertEquals(21, h.frames());
        assertEquals(3, h.index());
        assertEquals(f, h.format());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, StagingChunk.HEADER_BYTES, h.bytes());
            assertEquals(-1, Pcm.mismatch(data, 0), "the file holds the frames, readable by another process");
        }
    }

    @Test
    void rejectsTornHeader() throws Exception {
        Path file = dir.resolve("000000.chunk");
        StagingChunk.create(file, 0, Pcm.STEREO_S16, 10);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}), 25); // capacity field
        }
        IOException e = assertThrows(IOException.class, () -> StagingChunk.readHeader(file));
        assertTrue(e.getMessage().contains("torn"), e.getMessage());
    }

    @Test
    void rejectsFramesBeyondCapacity() throws Exception {
        Path file = dir.resolve("000000.chunk");
        StagingChunk.create(file, 0, Pcm.STEREO_S16, 10);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {11}), 48); // frames written: 11 of 10
        }
        assertThrows(IOException.class, () -> StagingChunk.readHeader(file));
    }

    @Test
    void rejectsShortAndForeignFiles() throws Exception {
        Path shortFile = Files.write(dir.resolve("a.chunk"), new byte[10]);
        Path foreign = Files.write(dir.resolve("b.chunk"), new byte[200]);
        assertThrows(IOException.class, () -> StagingChunk.readHeader(shortFile));
        assertThrows(IOException.class, () -> StagingChunk.readHeader(foreign));
    }

    @Test
    void deleteRemovesFile() throws Exception {
        StagingChunk c = StagingChunk.create(dir.resolve("000000.chunk"), 0, Pcm.STEREO_S16, 10);
        c.delete();
        assertFalse(Files.exists(c.file()));
    }
}
