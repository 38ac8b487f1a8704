package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.AudioFormat;
import io.capstan.api.ExportResult;
import io.capstan.api.SampleFormat;
import io.capstan.api.ChunkRef;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;
import io.capstan.api.UnknownTakeException;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

class WavWriterTest {

    private static final int CHUNK_BYTES = 4096;

    @TempDir
    Path home;
    @TempDir
    Path out;
    private final RecordingEventAdmin events = new RecordingEventAdmin();

    private Take record(FileChunkStore store, AudioFormat f, int frames) throws Exception {
        TakeWriter w = store.begin(Pcm.DEVICE, f);
        w.write(Pcm.frames(f, 0, frames));
        return w.finish(TakeState.COMPLETE, "stopped");
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String id(ByteBuffer b, int at) {
        byte[] s = new byte[4];
        b.get(at, s);
        return new String(s, StandardCharsets.US_ASCII);
    }

    @Test
    void exportWritesRiffHeader() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take take = record(store, Pcm.STEREO_S16, 2500);
        ExportResult r = store.export(take.id(), out.resolve("a.wav"), null);

        byte[] file = Files.readAllBytes(r.file());
        ByteBuffer b = le(file);
        long data = 2500L * 4;
        assertFalse(r.rf64());
        assertEquals(2500, r.frames());
        assertEquals(file.length, r.bytes());
        assertEquals("RIFF", id(b, 0));
        assertEquals(file.length - 8, b.getInt(4));
        assertEquals("WAVE", id(b, 8));
        assertEquals("fmt ", id(b, 12));
        assertEquals(16, b.getInt(16));
        assertEquals(1, b.getShort(20), "PCM format tag");
        assertEquals(2, b.getShort(22));
        assertEquals(48_000, b.getInt(24));
        assertEquals(48_000 * 4, b.getInt(28));
        assertEquals(4, b.getShort(32));
        assertEquals(16, b.getShort(34));
        assertEquals("data", id(b, 36));
        assertEquals(data, b.getInt(40));
        assertEquals(-1, Pcm.mismatch(b.slice(44, (int) data), 0), "data is the take's PCM in order");
    }

    @Test
    void exportWritesRf64AboveThreshold() throws Exception {
        FileChunkStore store = new FileChunkStore(events, new StoreSettings(home, CHUNK_BYTES, 10_000));
        Take take = record(store, Pcm.STEREO_S16, 2500); // 10000 bytes of data: RIFF size above 10000
        ExportResult r = store.export(take.id(), out.resolve("big.wav"), null);

        byte[] file = Files.readAllBytes(r.file());
        ByteBuffer b = le(file);
        assertTrue(r.rf64());
        assertEquals("RF64", id(b, 0));
        assertEquals(-1, b.getInt(4));
        assertEquals("WAVE", id(b, 8));
        assertEquals("ds64", id(b, 12));
        assertEquals(28, b.getInt(16));
        assertEquals(file.length - 8, b.getLong(20), "riffSize");
        assertEquals(10_000, b.getLong(28), "dataSize");
        assertEquals(2500, b.getLong(36), "sampleCount");
        assertEquals(0, b.getInt(44), "table length");
        assertEquals("fmt ", id(b, 48));
        assertEquals("data", id(b, 72));
        assertEquals(-1, b.getInt(76));
        assertEquals(-1, Pcm.mismatch(b.slice(80, 10_000), 0));
        soxReads(r.file(), 48_000, 2, 2500);
    }

    @Test
    void writesRf64HeaderForDataAbove4GiB() {
        AudioFormat f = new AudioFormat(96_000, 2, SampleFormat.F32_LE);
        long frames = (5L << 30) / f.bytesPerFrame(); // 5 GiB of data
        ByteBuffer b = WavWriter.header(f, frames, WavWriter.RIFF_LIMIT).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals("RF64", id(b, 0));
        assertEquals(-1, b.getInt(4));
        assertEquals("ds64", id(b, 12));
        assertEquals(b.limit() - 8 + (5L << 30), b.getLong(20), "riffSize");
        assertEquals(5L << 30, b.getLong(28), "dataSize");
        assertEquals(frames, b.getLong(36), "sampleCount");
        assertEquals(3, b.getShort(56), "IEEE float format tag");
        assertEquals("fact", id(b, b.limit() - 20));
        assertEquals(frames, b.getInt(b.limit() - 12) & 0xFFFF_FFFFL, "fact sample length");
        assertEquals("data", id(b, b.limit() - 8));
        assertEquals(-1, b.getInt(b.limit() - 4));
        AudioFormat mono = new AudioFormat(8_000, 1, SampleFormat.S16_LE);
        ByteBuffer many = WavWriter.header(mono, 5_000_000_000L, WavWriter.RIFF_LIMIT).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(5_000_000_000L, many.getLong(36), "sampleCount beyond 32 bits");
        assertEquals(10_000_000_000L, many.getLong(28), "dataSize");
        assertFalse(WavWriter.needsRf64(f, (4L << 30) / f.bytesPerFrame() - 100, WavWriter.RIFF_LIMIT),
                "just under 4 GiB stays RIFF");
    }

    @Test
    void exportFloatReadBySox() throws Exception {
        AudioFormat f = new AudioFormat(44_100, 2, SampleFormat.F32_LE);
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take take = record(store, f, 3001);
        ExportResult r = store.export(take.id(), out.resolve("float.wav"), null);

        ByteBuffer b = le(Files.readAllBytes(r.file()));
        assertEquals(3, b.getShort(20), "IEEE float format tag");
        soxReads(r.file(), 44_100, 2, 3001);
    }

    @Test
    void exportMultichannelReadBySox() throws Exception {
        AudioFormat f = new AudioFormat(48_000, 3, SampleFormat.S24_LE);
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take take = record(store, f, 1001); // 9009 bytes: odd, so a pad byte follows the data
        ExportResult r = store.export(take.id(), out.resolve("multi.wav"), null);

        ByteBuffer b = le(Files.readAllBytes(r.file()));
        assertEquals(0xFFFE, b.getShort(20) & 0xFFFF, "WAVE_FORMAT_EXTENSIBLE");
        assertEquals(r.bytes() - 8, b.getInt(4));
        assertEquals(0, (r.bytes() - 8) % 2, "RIFF size is even (pad byte)");
        soxReads(r.file(), 48_000, 3, 1001);
    }

    @Test
    void exportFailsOnCorruptedChunkNamingIt() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take take = record(store, Pcm.STEREO_S16, 3000);
        String sha = take.chunks().get(1).sha256();
        Path object = home.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha.substring(2));
        byte[] bytes = Files.readAllBytes(object);
        bytes[100] ^= 1;
        Files.write(object, bytes);
        Path file = out.resolve("bad.wav");

        StorageException e = assertThrows(StorageException.class, () -> store.export(take.id(), file, null));
        assertTrue(e.getMessage().contains("chunk 1"), e.getMessage());
        ChunkRef c = take.chunks().get(1);
        assertTrue(e.getMessage().contains("frames " + c.firstFrame() + " to " + (c.firstFrame() + c.frames() - 1)),
                e.getMessage());
        assertTrue(e.getMessage().contains("byte " + c.firstFrame() * 4 + " of the PCM"), e.getMessage());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(out.resolve("bad.wav.part")));
    }

    @Test
    void cancelRemovesPartFile() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take take = record(store, Pcm.STEREO_S16, 3000);
        Path file = out.resolve("cancelled.wav");
        List<Long> seen = new ArrayList<>();

        assertThrows(StorageException.class, () -> store.export(take.id(), file, (done, total) -> {
            seen.add(done);
            return seen.size() < 2;
        }));
        assertEquals(2, seen.size());
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(out.resolve("cancelled.wav.part")));
    }

    @Test
    void reportsProgressInBytesAndCreatesParents() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        Take take = record(store, Pcm.STEREO_S16, 3000);
        List<long[]> seen = new ArrayList<>();
        Path file = out.resolve("a/b/c.wav");

        ExportResult r = store.export(take.id(), file, (done, total) -> seen.add(new long[] {done, total}));
        assertTrue(Files.isRegularFile(file));
        assertEquals(file.toAbsolutePath(), r.file());
        long[] last = seen.get(seen.size() - 1);
        assertEquals(12_000, last[0]);
        assertEquals(12_000, last[1]);
    }

    @Test
    void exportOfUnknownTakeFails() throws Exception {
        FileChunkStore store = Pcm.store(events, home, CHUNK_BYTES);
        assertThrows(UnknownTakeException.class,
                () -> store.export("20260101-000000-000-0000", out.resolve("x.wav"), null));
    }

    /** Checks what {@code soxi} reports; skipped where sox is not installed. */
    private static void soxReads(Path file, int rate, int channels, long frames) throws Exception {
        Assumptions.assumeTrue(soxiPresent(), "soxi (sox) is not installed");
        assertEquals(Integer.toString(rate), soxi("-r", file));
        assertEquals(Integer.toString(channels), soxi("-c", file));
        assertEquals(Long.toString(frames), soxi("-s", file));
    }

    private static boolean soxiPresent() {
        try {
            Process p = new ProcessBuilder("soxi").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String soxi(String option, Path file) throws Exception {
        Process p = new ProcessBuilder("soxi", option, file.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "soxi ended");
        assertEquals(0, p.exitValue(), "soxi " + option + " " + file + ": " + text);
        return text;
    }
}
