package io.capstan.storage.internal;

import io.capstan.api.ChunkRef;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The append-only log of the chunks a take has sealed while it records:
 * {@code staging/<take>/chunks.log}. Sealing a chunk appends one line and fsyncs it, so a seal
 * costs the same after an hour as after a second; the manifest is written only when the take
 * begins and when it finishes (with every chunk), and readers of a RECORDING manifest add the
 * chunks of its log ({@link ManifestStore#read}). The log goes with the staging directory once
 * the final manifest is on disk.
 *
 * <p>Format: US-ASCII text, one record per line. The first line is {@value #MAGIC}; then per
 * chunk {@code <index> <sha256> <first frame> <frames> <bytes> <sealed at, ISO-8601> <crc>} where
 * {@code crc} is the CRC-32 (8 lowercase hex digits) of everything before its separating space.
 * A line cut short by a crash, or with a wrong checksum, ends the log: the records before it are
 * the chunks sealed (the chunk whose record was torn is still in staging and is sealed again by
 * recovery; its object exists already and is kept).
 *
 * <p>Threading: {@link #append} from the take's storage thread only; {@link #read} from any
 * thread or process, also while the log grows.
 */
final class ChunkLog implements AutoCloseable {

    /** File name inside the take's staging directory. */
    static final String FILE_NAME = "chunks.log";
    /** First line: format name and version. */
    static final String MAGIC = "capstan-chunk-log 1";

    private final Path file;
    private final FileChannel channel;
    private final CRC32 crc = new CRC32();
    /** The epoch day whose date {@link #isoDate} holds ("2026-11-21T"). */
    private long isoDay = Long.MIN_VALUE;
    private String isoDate;

    private ChunkLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Creates the log of a take that begins (its first line fsynced, the directory entry too).
     *
     * @param stagingDir the take's staging directory
     * @throws IOException when the log exists already or cannot be written
     */
    static ChunkLog create(Path stagingDir) throws IOException {
        Path file = stagingDir.resolve(FILE_NAME);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            writeFully(ch, ByteBuffer.wrap((MAGIC + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
            DurableFiles.syncDirectory(stagingDir);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new ChunkLog(file, ch);
    }

    /** @return the log file */
    Path file() {
        return file;
    }

    /**
     * Appends a sealed chunk and fsyncs the log ({@code fdatasync}): once this returns, the chunk
     * belongs to the take even if the process or the machine dies next.
     */
    void append(ChunkRef ref) throws IOException {
        String record = ref.index() + " " + ref.sha256() + " " + ref.firstFrame() + " " + ref.frames() + " "
                + ref.bytes() + " " + (ref.sealedAt() == null ? "null" : iso(ref.sealedAt()));
        byte[] bytes = record.getBytes(StandardCharsets.US_ASCII);
        crc.reset();
        crc.update(bytes);
        String hex = Long.toHexString(crc.getValue());
        String line = record + " " + "00000000".substring(hex.length()) + hex + "\n"; // %08x without a Formatter
        writeFully(channel, ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
        channel.force(false);
    }

    /**
     * Formats an instant as ISO-8601 in UTC with nine fractional digits, as {@link Instant#parse}
     * reads it: {@code 2026-11-21T22:14:05.123456789Z}. {@code Instant.toString} goes through a
     * {@code DateTimeFormatter}, which at one seal a second runs interpreted; this is integer
     * arithmetic, with the date computed once per day.
     */
    String iso(Instant t) {
        long seconds = t.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400L);
        if (day != isoDay) {
            isoDate = java.time.LocalDate.ofEpochDay(day) + "T";
            isoDay = day;
        }
        int s = (int) (seconds - day * 86_400L);
        StringBuilder b = new StringBuilder(31).append(isoDate);
        two(b, s / 3600).append(':');
        two(b, s / 60 % 60).append(':');
        two(b, s % 60).append('.');
        String nanos = Integer.toString(t.getNano());
        b.append("000000000", 0, 9 - nanos.length()).append(nanos);
        return b.append('Z').toString();
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** Closes the log file (it stays on disk). */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    /**
     * Reads the chunks recorded in a log, in order, up to the first line that is torn or damaged.
     *
     * @return the chunks; empty when there is no log
     * @throws IOException when the file is not a chunk log or cannot be read
     */
    static List<ChunkRef> read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        String text = new String(all, StandardCharsets.US_ASCII);
        List<ChunkRef> refs = new ArrayList<>();
        int start = text.indexOf('\n');
        if (start < 0 || !text.substring(0, start).equals(MAGIC)) {
            if (MAGIC.startsWith(text)) {
                return refs; // the first line itself is being written, or was cut short by a crash
            }
            throw new IOException(file + " is not a Capstan chunk log (first line is not '" + MAGIC + "')");
        }
        CRC32 crc = new CRC32();
        for (int end; (end = text.indexOf('\n', ++start)) >= 0; start = end) {
            ChunkRef ref = parse(text.substring(start, end), crc);
            if (ref == null) {
                break; // torn or damaged: nothing after it counts
            }
            refs.add(ref);
        }
        return refs;
    }

    /** @return the record of one line, or null when its checksum or a field is wrong */
    private static ChunkRef parse(String line, CRC32 crc) {
        int cut = line.lastIndexOf(' ');
        if (cut < 0) {
            return null;
        }
        String record = line.substring(0, cut);
        crc.reset();
        crc.update(record.getBytes(StandardCharsets.US_ASCII));
        if (!String.format("%08x", crc.getValue()).equals(line.substring(cut + 1))) {
            return null;
        }
        String[] f = record.split(" ");
        if (f.length != 6) {
            return null;
        }
        try {
            return new ChunkRef(Integer.parseInt(f[0]), f[1], Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), f[5].equals("null") ? null : Instant.parse(f[5]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
