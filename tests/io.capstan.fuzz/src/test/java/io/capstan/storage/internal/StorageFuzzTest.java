package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.capstan.api.AudioFormat;
import io.capstan.api.ChunkRef;
import io.capstan.api.SampleFormat;
import io.capstan.api.StorageException;
import io.capstan.api.Take;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The store's readers of files a crash, a full disk or a person may have left in any shape:
 * each either reads a value that makes sense or says what is wrong with the checked exception its
 * callers handle (recovery then keeps the file aside); nothing else may escape. And the WAV/RF64
 * header for any format and length the API admits.
 */
class StorageFuzzTest {

    private static final String TAKE = "20261203-142501-123-a3f9";

    @TempDir
    static Path dir;
    private static ManifestStore manifests;

    @BeforeAll
    static void open() throws IOException {
        manifests = ManifestStore.open(dir.resolve("takes"), dir.resolve("staging"));
        Files.createDirectories(dir.resolve("staging").resolve(TAKE));
    }

    /** A manifest of any content: read as a take, or a StorageException naming the file. */
    @FuzzTest(maxDuration = "5s")
    void manifest(byte[] content) throws IOException {
        Files.write(manifests.path(TAKE), content);
        Optional<Take> take;
        try {
            take = manifests.read(TAKE);
        } catch (StorageException e) {
            assertTrue(e.getMessage().contains(manifests.path(TAKE).toString()), e.getMessage());
            return;
        }
        assertTrue(take.isPresent(), "an existing manifest reads as a take or fails");
    }

    /** A chunk log of any content: the chunks of its intact lines, or an IOException. */
    @FuzzTest(maxDuration = "5s")
    void chunkLog(byte[] content) throws IOException {
        Path log = dir.resolve("staging").resolve(TAKE).resolve(ChunkLog.FILE_NAME);
        Files.write(log, content);
        List<ChunkRef> chunks;
        try {
            chunks = ChunkLog.read(log);
        } catch (IOException e) {
            return;
        }
        for (ChunkRef c : chunks) {
            assertTrue(ObjectStore.isSha256Hex(c.sha256()), c.sha256());
            assertTrue(c.frames() >= 0 && c.bytes() >= 0 && c.firstFrame() >= 0, c.toString());
        }
    }

    /** A staging file of any content: a header whose figures are consistent, or an IOException. */
    @FuzzTest(maxDuration = "5s")
    void stagingHeader(byte[] content) throws IOException {
        Path file = dir.resolve("staging").resolve(TAKE).resolve("000000.chunk");
        Files.write(file, content);
        StagingChunk.Header h;
        try {
            h = StagingChunk.readHeader(file);
        } catch (IOException e) {
            return;
        }
        assertTrue(h.index() >= 0, "index " + h.index());
        assertTrue(h.capacityFrames() > 0, "capacity " + h.capacityFrames());
        assertTrue(h.frames() >= 0 && h.frames() <= h.capacityFrames(), h.frames() + " of " + h.capacityFrames());
    }

    /**
     * The WAV header for any format the API admits and any length: RIFF up to the limit, RF64
     * (ds64) above, the sizes in it adding up.
     */
    @FuzzTest(maxDuration = "5s")
    void wavHeader(FuzzedDataProvider data) {
        AudioFormat format;
        try {
            format = new AudioFormat(data.consumeInt(), data.consumeInt(),
                    data.pickValue(SampleFormat.values()));
        } catch (IllegalArgumentException e) {
            return; // not a format: the API refuses it before any export
        }
        long frames = data.consumeLong(0, Long.MAX_VALUE / format.bytesPerFrame() / 2);
        long riffLimit = data.consumeLong(64, WavWriter.RIFF_LIMIT);
        ByteBuffer h = WavWriter.header(format, frames, riffLimit).order(ByteOrder.LITTLE_ENDIAN);
        String id = new String(new byte[] {h.get(0), h.get(1), h.get(2), h.get(3)}, java.nio.charset.StandardCharsets.US_ASCII);
        long dataBytes = frames * format.bytesPerFrame();
        long riffSize = h.limit() - 8 + dataBytes + (dataBytes & 1);
        if (id.equals("RF64")) {
            assertEquals(0xFFFF_FFFFL, h.getInt(4) & 0xFFFF_FFFFL);
            assertEquals(riffSize, h.getLong(20), "ds64 RIFF size");
            assertEquals(dataBytes, h.getLong(28), "ds64 data size");
            assertEquals(frames, h.getLong(36), "ds64 sample count");
        } else {
            assertEquals("RIFF", id);
            assertTrue(riffSize <= riffLimit, riffSize + " above the limit " + riffLimit);
            assertEquals(riffSize, h.getInt(4) & 0xFFFF_FFFFL, "RIFF size");
        }
        // EBU Tech 3306: in RF64 the data chunk's 32-bit size is -1, its size is in ds64
        assertEquals(id.equals("RF64") ? 0xFFFF_FFFFL : dataBytes, h.getInt(h.limit() - 4) & 0xFFFF_FFFFL,
                "data chunk size");
    }
}
