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

/**
 * The store's disk fails during a take: an ext4 file system on a loop device (as root), mounted
 * {@code errors=remount-ro}, gets an error while {@code ./capstan record} writes to it and turns
 * read-only (EROFS), as Linux does after an I/O error. The take ends at once with the reason and
 * what to do, no stack trace; the chunks sealed before stay verifiable; Capstan starts on the
 * read-only store, lists and verifies, and refuses a take with the reason; once the disk is
 * mounted again the take is recovered and a new take records. Issue 8 (faults).
 */
class DiskErrorProductTest {

    private static final String TONE = "capstan-tone";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;
    private static Path root;
    private static PipeWireSandbox sandbox;
    private static LoopExt4 disk;

    @BeforeAll
    static void start() throws Exception {
        root = RecordFromPipeWireTest.repositoryRoot();
        Optional<String> missing = PipeWireSandbox.missing(root);
        Assumptions.assumeTrue(missing.isEmpty(), () -> "needs a private PipeWire: " + missing.orElse(""));
        disk = LoopExt4.mount(tmp.resolve("disk"), 64);
        sandbox = PipeWireSandbox.start(root, tmp.resolve("sandbox"), List.of("--tone", TONE + ":440:0.5"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            sandbox.stop();
        }
        if (disk != null) {
            disk.close();
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(sandbox.environment());
        environment.put("CAPSTAN_HOME", disk.dir().toString());
        environment.put("CAPSTAN_NO_BUILD", "1");
        return environment;
    }

    private static Command.Result capstan(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./capstan"));
        command.addAll(List.of(arguments));
        return Command.run(command, root, environment(), TIMEOUT);
    }

    /** @return lines of chunk logs in the store's staging: chunks sealed by takes that record */
    private static long sealedWhileRecording() throws IOException {
        Path staging = disk.dir().resolve("staging");
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

    @Test
    void diskTurnedReadOnlyMidTakeEndsItWithTheReasonAndCapstanRecoversOnceItIsMountedAgain() throws Exception {
        Path out = tmp.resolve("record.out");
        Path err = tmp.resolve("record.err");
        ProcessBuilder pb = new ProcessBuilder("./capstan", "record", "--device", TONE, "--seconds", "60")
                .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(environment());
        Process record = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sealedWhileRecording() < 2 && record.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100); // a bounded poll of the chunk log: the product runs in another process
            }
            assertTrue(sealedWhileRecording() >= 2, "two chunks sealed before the error: " + Files.readString(err));

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

        Command.Result takes = capstan("takes");
        assertEquals(0, takes.exitCode(), takes.describe());
        Matcher m = Pattern.compile("(\\d{8}-\\d{6}-\\d{3}-[0-9a-f]{4})").matcher(takes.stdout());
        assertTrue(m.find(), takes.describe());
        String take = m.group(1);
        Command.Result verify = capstan("verify");
        assertEquals(0, verify.exitCode(), "the chunks sealed before the error verify: " + verify.describe());
        Command.Result status = capstan("status");
        assertTrue(status.stdout().contains("store cannot record: the store " + disk.dir() + " is not writable"),
                status.describe());
        Command.Result refused = capstan("record", "--device", TONE, "--seconds", "1");
        assertEquals(1, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("cannot start a take: the store " + disk.dir() + " is not writable"),
                refused.describe());

        disk.remount();
        Command.Result recovered = capstan("takes");
        assertEquals(0, recovered.exitCode(), recovered.describe());
        assertTrue(recovered.stdout().contains(take), recovered.describe());
        assertFalse(recovered.stdout().contains("RECORDING"), "recovery finished the take: " + recovered.describe());
        assertEquals(0, capstan("verify").exitCode(), "verify after recovery");
        Command.Result again = capstan("record", "--device", TONE, "--seconds", "1");
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stdout().contains("48000 frames"), again.describe());
    }
}
