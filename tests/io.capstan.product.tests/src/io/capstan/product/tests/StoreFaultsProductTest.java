package io.capstan.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.capstan.test.pipewire.LoopExt4;
import io.capstan.test.pipewire.Tmpfs;

/**
 * The product with its store on real file systems that fail (as root): one that fills up, one that
 * turns read-only under a take. No stack trace reaches the terminal; Capstan always starts, reads
 * what it holds and refuses a take with the reason; once the fault is gone a take records.
 * Issue 8 (faults).
 */
class StoreFaultsProductTest {

    private static final String TONE = "capstan-tone";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;
    private static Path root;
    private static PipeWireSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        root = RecordFromPipeWireTest.repositoryRoot();
        Optional<String> missing = PipeWireSandbox.missing(root);
        Assumptions.assumeTrue(missing.isEmpty(), () -> "needs a private PipeWire: " + missing.orElse(""));
        sandbox = PipeWireSandbox.start(root, tmp.resolve("sandbox"), List.of("--tone", TONE + ":440:0.5"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            sandbox.stop();
        }
    }

    private static Map<String, String> environment(Path home) {
        Map<String, String> environment = new HashMap<>(sandbox.environment());
        environment.put("CAPSTAN_HOME", home.toString());
        environment.put("CAPSTAN_NO_BUILD", "1");
        return environment;
    }

    /** Runs {@code ./capstan ARGUMENTS} with its store in {@code home}. */
    private static Command.Result capstan(Path home, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./capstan"));
        command.addAll(List.of(arguments));
        return Command.run(command, root, environment(home), TIMEOUT);
    }

    private static void assertNoStackTrace(Command.Result r) {
        String all = r.stdout() + r.stderr();
        assertFalse(all.contains("Exception") || all.contains("\tat "), "a stack trace reached the user:\n"
                + r.describe());
    }

    /**
     * A small disk (a 6 MiB tmpfs) fills up during a take of the fed tone: the take ends FAILED at the
     * free-space reserve, with a warning before; with the disk still full Capstan starts, lists,
     * verifies, exports elsewhere and refuses a new take up front; with space again a take records.
     */
    @Test
    void fullDiskEndsTheTakeAtTheReserveAndCapstanStillStartsListsVerifiesExportsAndRefusesUpFront()
            throws Exception {
        try (Tmpfs disk = Tmpfs.mount(tmp.resolve("tmpfs"), "6m")) {
            fullDisk(disk);
        }
    }

    private void fullDisk(Tmpfs disk) throws Exception {
        Command.Result full = capstan(disk.dir(), "record", "--device", TONE, "--seconds", "60");

        assertEquals(1, full.exitCode(), full.describe());
        assertNoStackTrace(full);
        assertTrue(full.stderr().contains("free-space reserve of its store " + disk.dir()), full.describe());
        assertTrue(full.stderr().contains("every frame up to then is sealed"), full.describe());
        assertTrue(full.stderr().contains("warning: the store " + disk.dir() + " has "), "warned first: " + full.describe());
        assertTrue(full.stderr().indexOf("warning: the store") < full.stderr().indexOf("free-space reserve of its store"),
                "the warning came before the end: " + full.describe());
        Matcher m = Pattern.compile("take (\\S+): (\\d+) frames \\([^)]*\\), (\\d+) chunks, .*, FAILED").matcher(full.stdout());
        assertTrue(m.find(), full.describe());
        String take = m.group(1);
        long frames = Long.parseLong(m.group(2));
        assertTrue(frames > 48_000, "seconds of audio were kept: " + frames + " frames");
        Path filler = disk.fill("other-program"); // and something else takes the rest of the disk

        Command.Result takes = capstan(disk.dir(), "takes");
        assertEquals(0, takes.exitCode(), takes.describe());
        assertTrue(takes.stdout().contains(take) && takes.stdout().contains("FAILED"), takes.describe());
        Command.Result verify = capstan(disk.dir(), "verify");
        assertEquals(0, verify.exitCode(), verify.describe());
        Command.Result status = capstan(disk.dir(), "status");
        assertEquals(0, status.exitCode(), status.describe());
        assertTrue(status.stdout().contains("store cannot record"), status.describe());
        Command.Result refused = capstan(disk.dir(), "record", "--device", TONE, "--seconds", "1");
        assertEquals(1, refused.exitCode(), refused.describe());
        assertNoStackTrace(refused);
        assertTrue(refused.stderr().contains("cannot start a take: the store " + disk.dir()), refused.describe());
        assertTrue(refused.stderr().contains("reserveBytes"), "says what to do: " + refused.describe());
        Path wav = tmp.resolve("kept.wav");
        Command.Result export = capstan(disk.dir(), "export", take, "--out", wav.toString());
        assertEquals(0, export.exitCode(), export.describe());
        assertEquals(frames, WavFile.read(wav).frames(), "every kept frame exported");

        java.nio.file.Files.delete(filler);
        disk.remount("size=64m");
        Command.Result again = capstan(disk.dir(), "record", "--device", TONE, "--seconds", "1");
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stdout().contains("48000 frames"), again.describe());
    }

    /** @return lines of chunk logs in the store's staging: chunks sealed by takes that record */
    private static long sealedWhileRecording(Path home) throws IOException {
        Path staging = home.resolve("staging");
        if (!Files.isDirectory(staging)) {
            return 0;
        }
        try (Stream<Path> logs = Files.walk(staging)) {
            long lines = 0;
            for (Path log : logs.filter(p -> p.getFileName().toString().equals("chunks.log")).toList()) {
                lines += Files.readAllLines(log, StandardCharsets.US_ASCII).size() - 1;
            }
            return lines;
        }
    }

    /**
     * The store's disk fails during a take: ext4 on a loop device, mounted {@code errors=remount-ro},
     * gets an error while {@code ./capstan record} writes to it and turns read-only (EROFS), as
     * Linux does after an I/O error. The take ends at once with the reason and what to do, no stack
     * trace; the chunks sealed before stay verifiable; Capstan starts on the read-only store, lists
     * and verifies, and refuses a take with the reason; once the disk is mounted again the take is
     * recovered and a new take records.
     */
    @Test
    void diskTurnedReadOnlyMidTakeEndsItWithTheReasonAndCapstanRecoversOnceItIsMountedAgain() throws Exception {
        try (LoopExt4 disk = LoopExt4.mount(tmp.resolve("ext4"), 64)) {
            diskTurnedReadOnlyMidTake(disk);
        }
    }

    private void diskTurnedReadOnlyMidTake(LoopExt4 disk) throws Exception {
        Path out = tmp.resolve("record.out");
        Path err = tmp.resolve("record.err");
        ProcessBuilder pb = new ProcessBuilder("./capstan", "record", "--device", TONE, "--seconds", "60")
                .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(environment(disk.dir()));
        Process record = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sealedWhileRecording(disk.dir()) < 2 && record.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100); // a bounded poll of the chunk log: the product runs in another process
            }
            assertTrue(sealedWhileRecording(disk.dir()) >= 2, "two chunks sealed before the error: " + Files.readString(err));

            disk.triggerError();

            assertTrue(record.waitFor(30, TimeUnit.SECONDS), "the take ended after the disk failed");
        } finally {
            record.destroyForcibly();
            record.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(disk.readOnly(), "the file system turned read-only");
        String output = Files.readString(out) + Files.readString(err);
        assertEquals(1, record.exitValue(), output);
        assertFalse(output.contains("Exception") || output.contains("\tat "), "a stack trace reached the user:\n" + output);
        assertTrue(output.contains("read-only file system"), output);
        assertTrue(output.contains("mount it read-write again"), "says what to do: " + output);

        Command.Result takes = capstan(disk.dir(), "takes");
        assertEquals(0, takes.exitCode(), takes.describe());
        Matcher m = Pattern.compile("(\\d{8}-\\d{6}-\\d{3}-[0-9a-f]{4})").matcher(takes.stdout());
        assertTrue(m.find(), takes.describe());
        String take = m.group(1);
        Command.Result verify = capstan(disk.dir(), "verify");
        assertEquals(0, verify.exitCode(), "the chunks sealed before the error verify: " + verify.describe());
        Command.Result status = capstan(disk.dir(), "status");
        assertTrue(status.stdout().contains("store cannot record: the store " + disk.dir() + " is not writable"),
                status.describe());
        Command.Result refused = capstan(disk.dir(), "record", "--device", TONE, "--seconds", "1");
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("cannot start a take: the store " + disk.dir() + " is not writable"),
                refused.describe());

        disk.remount();
        Command.Result recovered = capstan(disk.dir(), "takes");
        assertEquals(0, recovered.exitCode(), recovered.describe());
        assertTrue(recovered.stdout().contains(take), recovered.describe());
        assertFalse(recovered.stdout().contains("RECORDING"), "recovery finished the take: " + recovered.describe());
        assertEquals(0, capstan(disk.dir(), "verify").exitCode(), "verify after recovery");
        Command.Result again = capstan(disk.dir(), "record", "--device", TONE, "--seconds", "1");
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stdout().contains("48000 frames"), again.describe());
    }
}
