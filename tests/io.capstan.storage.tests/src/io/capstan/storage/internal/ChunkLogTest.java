package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.ChunkRef;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

class ChunkLogTest {

    @TempDir
    Path dir;

    private static ChunkRef ref(int index) {
        return new ChunkRef(index, "%064x".formatted(index + 0xabcL), index * 65_536L, 65_536, 65_536 * 8L,
                Instant.parse("2026-11-21T17:30:00.123456Z").plusSeconds(index));
    }

    /** @return a closed log in {@link #dir} holding chunks 0 to {@code chunks - 1} */
    private Path logOf(int chunks) throws IOException {
        try (ChunkLog log = ChunkLog.create(dir)) {
            for (int i = 0; i < chunks; i++) {
                log.append(ref(i));
            }
            return log.file();
        }
    }

    /** The log's own ISO-8601 formatting reads back through {@link Instant#parse} as the same instant. */
    /**
     * Found by the fuzzer (tests/io.capstan.fuzz, StorageFuzzTest#chunkLog): a line whose checksum
     * matches but whose address is not a SHA-256 was read as a chunk, and the first look at its
     * object then threw an unchecked exception. It ends the log as a damaged line does.
     */
    @Test
    void lineWithAValidChecksumButNoSha256EndsTheLog() throws Exception {
        String good = "0 " + "ab".repeat(32) + " 0 10 80 null";
        String bad = "1 " + "ab".repeat(3) + "," + "ab".repeat(29) + "a 10 10 80 null";
        Path file = dir.resolve(ChunkLog.FILE_NAME);
        Files.writeString(file, ChunkLog.MAGIC + "\n" + withCrc(good) + withCrc(bad) + withCrc(good.replace("0 ab", "2 ab")),
                StandardCharsets.US_ASCII);

        List<ChunkRef> chunks = ChunkLog.read(file);

        assertEquals(1, chunks.size(), "the line before the damaged one only");
        assertEquals("ab".repeat(32), chunks.get(0).sha256());
    }

    private static String withCrc(String record) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(record.getBytes(StandardCharsets.US_ASCII));
        return record + " " + String.format("%08x", crc.getValue()) + "\n";
    }

    @Test
    void sealTimesReadBackExactly() throws Exception {
        java.util.Random random = new java.util.Random(3);
        List<Instant> times = new java.util.ArrayList<>(List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("2026-11-21T23:59:59Z"), Instant.parse("2026-11-22T00:00:00.000000001Z"),
                Instant.parse("2028-02-29T12:00:00.5Z"), Instant.parse("9999-12-31T23:59:59.999999999Z")));
        for (int i = 0; i < 200; i++) {
            times.add(Instant.ofEpochSecond(random.nextLong(253_402_300_799L), random.nextInt(1_000_000_000)));
        }
        try (ChunkLog log = ChunkLog.create(dir)) {
            for (Instant t : times) {
                assertEquals(t, Instant.parse(log.iso(t)), t.toString());
                assertTrue(log.iso(t).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z"), log.iso(t));
            }
            for (int i = 0; i < times.size(); i++) {
                log.append(new ChunkRef(i, "%064x".formatted(i), i * 10L, 10, 80, times.get(i)));
            }
            log.append(new ChunkRef(times.size(), "%064x".formatted(1), 0, 10, 80, null));
            List<ChunkRef> back = ChunkLog.read(log.file());
            assertEquals(times, back.stream().limit(times.size()).map(ChunkRef::sealedAt).toList());
            assertEquals(null, back.get(times.size()).sealedAt());
        }
    }

    @Test
    void readsBackWhatWasAppendedInOrder() throws Exception {
        try (ChunkLog log = ChunkLog.create(dir)) {
            for (int i = 0; i < 5; i++) {
                log.append(ref(i));
            }
            assertEquals(List.of(ref(0), ref(1), ref(2)), ChunkLog.read(log.file()).subList(0, 3),
                    "readable while it grows");
        }
        assertEquals(List.of(ref(0), ref(1), ref(2), ref(3), ref(4)), ChunkLog.read(dir.resolve(ChunkLog.FILE_NAME)));
    }

    @Test
    void aLineCutShortByACrashEndsTheLog() throws Exception {
        byte[] whole = Files.readAllBytes(logOf(2));
        for (int cut = 1; cut < 40; cut++) { // the last line torn at any point
            Path torn = dir.resolve("torn-" + cut);
            Files.write(torn, java.util.Arrays.copyOf(whole, whole.length - cut));
            assertEquals(List.of(ref(0)), ChunkLog.read(torn), "cut " + cut + " bytes before the end");
        }
    }

    @Test
    void aDamagedLineEndsTheLog() throws Exception {
        Path file = logOf(3);
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String[] lines = text.split("\n");
        lines[2] = lines[2].replace(" 65536 ", " 65537 "); // frames changed, checksum not
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
        assertEquals(List.of(ref(0)), ChunkLog.read(file), "nothing from the damaged line on is believed");
    }

    @Test
    void aMissingOrJustCreatedLogHoldsNoChunks() throws Exception {
        assertEquals(List.of(), ChunkLog.read(dir.resolve("none.log")));
        Path partial = dir.resolve("partial.log");
        Files.writeString(partial, ChunkLog.MAGIC.substring(0, 7), StandardCharsets.US_ASCII);
        assertEquals(List.of(), ChunkLog.read(partial));
        try (ChunkLog log = ChunkLog.create(dir)) {
            assertEquals(List.of(), ChunkLog.read(log.file()));
        }
    }

    @Test
    void aForeignFileIsAnErrorNamingIt() throws Exception {
        Path foreign = dir.resolve("foreign.log");
        Files.writeString(foreign, "hello\nworld\n", StandardCharsets.US_ASCII);
        IOException e = assertThrows(IOException.class, () -> ChunkLog.read(foreign));
        assertTrue(e.getMessage().contains(foreign.toString()) && e.getMessage().contains("not a Capstan chunk log"),
                e.getMessage());
    }

    @Test
    void createRefusesToOverwriteALog() throws Exception {
        Path file = logOf(1);
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ChunkLog.create(dir));
        assertEquals(List.of(ref(0)), ChunkLog.read(file), "the log is unchanged");
    }
}
