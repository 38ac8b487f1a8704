package io.capstan.storage.internal;

import io.capstan.api.AudioFormat;
import io.capstan.api.ChunkRef;
import io.capstan.api.ExportResult;
import io.capstan.api.ProgressListener;
import io.capstan.api.StorageException;
import io.capstan.api.Take;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Exports a take as a WAV file: RIFF/WAVE while the RIFF size fits in 32 bits, RF64 (EBU Tech
 * 3306) above. Format tag 1 (integer PCM) or 3 (IEEE float, with a {@code fact} chunk) for one
 * or two channels, WAVE_FORMAT_EXTENSIBLE for more. Thread-safe.
 */
final class WavWriter {

    /** Largest RIFF size field, in bytes: above it the file is written as RF64. */
    static final long RIFF_LIMIT = 0xFFFF_FFFFL;
    private static final long NO_SIZE = 0xFFFF_FFFFL;
    private static final int TAG_PCM = 1;
    private static final int TAG_FLOAT = 3;
    private static final int TAG_EXTENSIBLE = 0xFFFE;
    /** KSDATAFORMAT_SUBTYPE_* GUID after its first two bytes (the format tag). */
    private static final byte[] GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
            (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    private final ObjectStore objects;
    private final long riffLimit;

    /** @param riffLimit largest RIFF size in bytes written as RIFF/WAVE ({@link #RIFF_LIMIT}; smaller in tests) */
    WavWriter(ObjectStore objects, long riffLimit) {
        this.objects = objects;
        this.riffLimit = riffLimit;
    }

    /**
     * The header of a WAV file holding {@code frames} frames, up to the first data byte.
     *
     * @param riffLimit largest RIFF size (bytes) to write as RIFF; RF64 above
     * @return the header, position 0, limit its length
     */
    static ByteBuffer header(AudioFormat f, long frames, long riffLimit) {
        boolean extensible = f.channels() > 2;
        boolean isFloat = f.sampleFormat().isFloatingPoint();
        int fmtSize = fmtSize(f);
        long dataBytes = frames * f.bytesPerFrame();
        long pad = dataBytes & 1;
        boolean rf64 = needsRf64(f, frames, riffLimit);
        int headerBytes = riffHeaderBytes(f) + (rf64 ? 36 : 0);
        long riffSize = headerBytes - 8 + dataBytes + pad;

        ByteBuffer b = ByteBuffer.allocate(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii(rf64 ? "RF64" : "RIFF")).putInt((int) (rf64 ? NO_SIZE : riffSize)).put(ascii("WAVE"));
        if (rf64) {
            b.put(ascii("ds64")).putInt(28).putLong(riffSize).putLong(dataBytes).putLong(frames).putInt(0);
        }
        b.put(ascii("fmt ")).putInt(fmtSize);
        b.putShort((short) (extensible ? TAG_EXTENSIBLE : isFloat ? TAG_FLOAT : TAG_PCM));
        b.putShort((short) f.channels()).putInt(f.sampleRate()).putInt((int) f.bytesPerSecond());
        b.putShort((short) f.bytesPerFrame()).putShort((short) f.sampleFormat().bitsPerSample());
        if (extensible) {
            b.putShort((short) 22).putShort((short) f.sampleFormat().bitsPerSample()).putInt(0); // mask 0: unassigned
            b.putShort((short) (isFloat ? TAG_FLOAT : TAG_PCM)).put(GUID_TAIL);
        } else if (isFloat) {
            b.putShort((short) 0);
        }
        if (isFloat) {
            b.put(ascii("fact")).putInt(4).putInt((int) Math.min(frames, NO_SIZE));
        }
        b.put(ascii("data")).putInt((int) (rf64 ? NO_SIZE : dataBytes));
        return b.flip();
    }

    /**
     * @param riffLimit largest RIFF size in bytes written as RIFF/WAVE
     * @return true when a file of {@code frames} frames has to be written as RF64
     */
    static boolean needsRf64(AudioFormat f, long frames, long riffLimit) {
        long dataBytes = frames * f.bytesPerFrame();
        return riffHeaderBytes(f) - 8 + dataBytes + (dataBytes & 1) > riffLimit;
    }

    private static int fmtSize(AudioFormat f) {
        return f.channels() > 2 ? 40 : f.sampleFormat().isFloatingPoint() ? 18 : 16;
    }

    /** @return bytes of a plain RIFF header up to the first data byte */
    private static int riffHeaderBytes(AudioFormat f) {
        return 12 + 8 + fmtSize(f) + (f.sampleFormat().isFloatingPoint() ? 12 : 0) + 8;
    }

    /**
     * Writes {@code take} to {@code file}: to {@code file.part} first, verifying every chunk's hash
     * while copying, then renamed. Parent directories are created.
     *
     * @param progress told bytes of PCM copied and in all; returning false cancels
     * @throws StorageException when a chunk is missing or does not match its hash (naming it),
     *                          when cancelled, or on I/O errors; no file is left behind then
     */
    ExportResult export(Take take, Path file, ProgressListener progress) throws StorageException {
        Path target = file.toAbsolutePath();
        Path part = target.resolveSibling(target.getFileName() + ".part");
        AudioFormat f = take.format();
        long frames = take.chunks().stream().mapToLong(ChunkRef::frames).sum();
        long total = frames * f.bytesPerFrame();
        ByteBuffer header = header(f, frames, riffLimit);
        boolean rf64 = needsRf64(f, frames, riffLimit);
        boolean done = false;
        try {
            DurableFiles.createDirectories(target.getParent());
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, header);
                long[] copied = {0};
                for (ChunkRef c : take.chunks()) {
                    copyChunk(take, c, out, copied, total, progress);
                }
                if ((total & 1) == 1) {
                    writeFully(out, ByteBuffer.allocate(1)); // RIFF pad byte after odd-sized data
                }
                out.force(true);
            }
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            DurableFiles.syncDirectory(target.getParent());
            done = true;
            return new ExportResult(target, frames, Files.size(target), rf64);
        } catch (IOException e) {
            throw new StorageException("cannot export take '" + take.id() + "' to " + target + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                deletePart(part);
            }
        }
    }

    private void copyChunk(Take take, ChunkRef c, FileChannel out, long[] copied, long total, ProgressListener progress)
            throws IOException, StorageException {
        long[] size = {0};
        boolean[] cancelled = {false};
        String actual;
        try {
            actual = objects.read(c.sha256(), block -> {
                int n = block.remaining();
                writeFully(out, block);
                size[0] += n;
                copied[0] += n;
                if (!progress.worked(copied[0], total)) {
                    cancelled[0] = true;
                    return false;
                }
                return true;
            });
        } catch (NoSuchFileException e) {
            throw new StorageException("chunk " + c.index() + " of take '" + take.id() + "' " + where(take, c)
                    + " is missing: no object "
                    + objects.path(c.sha256()) + "; run 'capstan verify' to check the store", e);
        }
        if (cancelled[0]) {
            throw new StorageException("export of take '" + take.id() + "' was cancelled; no file was written");
        }
        if (!c.sha256().equals(actual) || size[0] != c.bytes()) {
            throw new StorageException("chunk " + c.index() + " of take '" + take.id() + "' " + where(take, c)
                    + " is corrupted: object "
                    + objects.path(c.sha256()) + " hashes to " + actual + " (" + size[0] + " bytes, expected "
                    + c.bytes() + "); run 'capstan verify' to check the store");
        }
    }

    /** @return where a chunk lies in its take: "(frames 48000 to 95999, at 1.000 s, byte 192000 of the PCM)" */
    static String where(Take take, ChunkRef c) {
        long bytesPerFrame = take.format().bytesPerFrame();
        return "(frames " + c.firstFrame() + " to " + (c.firstFrame() + c.frames() - 1) + ", at "
                + String.format(java.util.Locale.ROOT, "%.3f", c.firstFrame() / (double) take.format().sampleRate())
                + " s, byte " + c.firstFrame() * bytesPerFrame + " of the PCM)";
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private static void deletePart(Path part) {
        try {
            Files.deleteIfExists(part);
        } catch (IOException e) {
            // the export already failed with its own cause; a stale .part is overwritten by the next try
            return;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
