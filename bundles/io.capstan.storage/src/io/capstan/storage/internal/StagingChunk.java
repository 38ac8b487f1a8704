package io.capstan.storage.internal;

import io.capstan.api.AudioFormat;
import io.capstan.api.SampleFormat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * A pre-allocated, memory-mapped staging file holding one chunk of a take while it is written:
 * {@code staging/<take>/<seq>.chunk}.
 *
 * <p>Layout (little-endian), {@value #HEADER_BYTES} bytes of header, then the data region:
 * <pre>
 *  0  8 bytes  magic "CPSTCHNK"
 *  8  int      version (1)
 * 12  int      sample rate, Hz
 * 16  int      channels
 * 20  int      sample format code (1 S16_LE, 2 S24_LE, 3 S32_LE, 4 F32_LE)
 * 24  long     data capacity, bytes (whole frames)
 * 32  long     chunk index within the take
 * 40  int      CRC-32 of bytes 0..39 (detects a torn or foreign header)
 * 48  long     frames written so far (updated after the data they count)
 * </pre>
 *
 * <p>Threading: written by one thread (the capture thread) until rotated, then handed to the
 * take's storage thread (the hand-off through its executor orders the memory accesses).
 */
final class StagingChunk {

    /** Bytes of header before the data region. */
    static final int HEADER_BYTES = 64;
    static final int VERSION = 1;
    private static final byte[] MAGIC = "CPSTCHNK".getBytes(StandardCharsets.US_ASCII);
    private static final int OFF_RATE = 12;
    private static final int OFF_CHANNELS = 16;
    private static final int OFF_FORMAT = 20;
    private static final int OFF_CAPACITY = 24;
    private static final int OFF_INDEX = 32;
    private static final int OFF_CRC = 40;
    private static final int OFF_FRAMES = 48;
    private static final int ZERO_BLOCK = 64 * 1024;

    private final Path file;
    private final int index;
    private final AudioFormat format;
    private final int bytesPerFrame;
    private final long capacityFrames;
    private final MappedByteBuffer map;
    private long framesWritten;

    private StagingChunk(Path file, int index, AudioFormat format, long capacityFrames, MappedByteBuffer map) {
        this.file = file;
        this.index = index;
        this.format = format;
        this.bytesPerFrame = format.bytesPerFrame();
        this.capacityFrames = capacityFrames;
        this.map = map;
    }

    /**
     * Creates the file, fills it with zeros (so the blocks are really allocated and a full disk
     * shows here as an {@link IOException}, not later as a fault on the mapped memory), writes the
     * header and maps it read-write.
     *
     * @param capacityFrames frames the data region holds (at least 1)
     */
    static StagingChunk create(Path file, int index, AudioFormat format, long capacityFrames) throws IOException {
        long dataBytes = capacityFrames * format.bytesPerFrame();
        long size = HEADER_BYTES + dataBytes;
        if (size > Integer.MAX_VALUE) {
            throw new IOException("chunk of " + dataBytes + " bytes is too large to map; use a smaller chunk size");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_BLOCK);
            try {
                for (long pos = 0; pos < size;) {
                    zeros.clear().limit((int) Math.min(ZERO_BLOCK, size - pos));
                    pos += ch.write(zeros, pos);
                }
            } catch (IOException e) {
                Files.deleteIfExists(file); // a full disk: no torn file for recovery to find (it holds no frames)
                throw e;
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            map.order(ByteOrder.LITTLE_ENDIAN);
            writeHeader(map, index, format, dataBytes);
            return new StagingChunk(file, index, format, capacityFrames, map);
        }
    }

    private static void writeHeader(ByteBuffer b, int index, AudioFormat format, long dataBytes) {
        b.put(0, MAGIC);
        b.putInt(8, VERSION);
        b.putInt(OFF_RATE, format.sampleRate());
        b.putInt(OFF_CHANNELS, format.channels());
        b.putInt(OFF_FORMAT, formatCode(format.sampleFormat()));
        b.putLong(OFF_CAPACITY, dataBytes);
        b.putLong(OFF_INDEX, index);
        b.putInt(OFF_CRC, crc(b));
        b.putLong(OFF_FRAMES, 0);
    }

    /**
     * Copies as many whole frames as fit from {@code src} (advancing its position), then records
     * the new frame count in the header.
     *
     * @return frames copied
     */
    long write(ByteBuffer src) {
        long frames = Math.min(src.remaining() / bytesPerFrame, capacityFrames - framesWritten);
        if (frames == 0) {
            return 0;
        }
        int bytes = (int) (frames * bytesPerFrame);
        int at = HEADER_BYTES + (int) (framesWritten * bytesPerFrame);
        map.put(at, src, src.position(), bytes);
        src.position(src.position() + bytes);
        framesWritten += frames;
        map.putLong(OFF_FRAMES, framesWritten);
        return frames;
    }

    /** @return true when no more frames fit */
    boolean isFull() {
        return framesWritten == capacityFrames;
    }

    /** @return frames written so far */
    long frames() {
        return framesWritten;
    }

    /** @return the chunk's index in its take */
    int index() {
        return index;
    }

    /** @return the staging file */
    Path file() {
        return file;
    }

    /** @return the take's format */
    AudioFormat format() {
        return format;
    }

    /** @return a read-only view of exactly the PCM written (not the header) */
    ByteBuffer data() {
        return map.slice(HEADER_BYTES, (int) (framesWritten * bytesPerFrame)).asReadOnlyBuffer();
    }

    /**
     * Makes this chunk, sealed and no longer needed, into chunk {@code newIndex} of the same take:
     * its frame count becomes 0 (first, so that whatever happens next the file holds no frames
     * to recover), the header gets the new index, and the file is renamed. The mapping stays, so
     * neither the zero-filling of a new file nor the page faults of a new mapping are paid again.
     * The old PCM stays behind the frame count, which says it is not data. Storage thread only,
     * after the seal has read the data.
     *
     * @param to the new staging file name ({@link ChunkAllocator#fileName})
     * @return the chunk under its new name and index, empty
     */
    StagingChunk reuse(Path to, int newIndex) throws IOException {
        map.putLong(OFF_FRAMES, 0);
        map.putLong(OFF_INDEX, newIndex);
        map.putInt(OFF_CRC, crc(map));
        Files.move(file, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new StagingChunk(to, newIndex, format, capacityFrames, map);
    }

    /** Deletes the staging file; the mapping is released by the garbage collector. */
    void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * The header of a staging file as found on disk (used by recovery).
     *
     * @param index          chunk index in the take
     * @param format         the take's format
     * @param capacityFrames frames the data region holds
     * @param frames         frames written before the writer stopped
     */
    record Header(int index, AudioFormat format, long capacityFrames, long frames) {

        /** @return bytes of PCM written */
        long bytes() {
            return frames * format.bytesPerFrame();
        }
    }

    /**
     * Reads and checks the header of a staging file.
     *
     * @throws IOException naming what is wrong when the file is short, foreign or torn
     */
    static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read until full or end of file
            }
            if (b.hasRemaining()) {
                throw new IOException(file + ": " + b.position() + " bytes, shorter than the chunk header");
            }
            byte[] magic = new byte[MAGIC.length];
            b.get(0, magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not a Capstan staging chunk (bad magic)");
            }
            if (b.getInt(OFF_CRC) != crc(b)) {
                throw new IOException(file + ": torn chunk header (checksum mismatch)");
            }
            if (b.getInt(8) != VERSION) {
                throw new IOException(file + ": staging chunk version " + b.getInt(8) + " is not supported");
            }
            AudioFormat format;
            try {
                format = new AudioFormat(b.getInt(OFF_RATE), b.getInt(OFF_CHANNELS), formatOf(b.getInt(OFF_FORMAT)));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": invalid format in chunk header: " + e.getMessage(), e);
            }
            long capacity = b.getLong(OFF_CAPACITY);
            long frames = b.getLong(OFF_FRAMES);
            long capacityFrames = capacity / format.bytesPerFrame();
            if (capacity <= 0 || capacity % format.bytesPerFrame() != 0 || frames < 0 || frames > capacityFrames) {
                throw new IOException(file + ": invalid sizes in chunk header (capacity " + capacity
                        + " bytes, frames written " + frames + ")");
            }
            if (ch.size() < HEADER_BYTES + frames * format.bytesPerFrame()) {
                throw new IOException(file + ": truncated: " + ch.size() + " bytes, header says " + frames + " frames");
            }
            return new Header((int) b.getLong(OFF_INDEX), format, capacityFrames, frames);
        }
    }

    private static int crc(ByteBuffer b) {
        CRC32 crc = new CRC32();
        crc.update(b.slice(0, OFF_CRC));
        return (int) crc.getValue();
    }

    static int formatCode(SampleFormat f) {
        return switch (f) {
            case S16_LE -> 1;
            case S24_LE -> 2;
            case S32_LE -> 3;
            case F32_LE -> 4;
        };
    }

    static SampleFormat formatOf(int code) {
        return switch (code) {
            case 1 -> SampleFormat.S16_LE;
            case 2 -> SampleFormat.S24_LE;
            case 3 -> SampleFormat.S32_LE;
            case 4 -> SampleFormat.F32_LE;
            default -> throw new IllegalArgumentException("unknown sample format code " + code);
        };
    }
}
