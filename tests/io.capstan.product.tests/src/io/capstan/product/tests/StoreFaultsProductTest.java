package io.capstan.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.capstan.test.pipewire.Tmpfs;

/**
 * The product with its store on a small real file system (a 6 MiB tmpfs, as root) that fills up
 * during a take of the fed tone: the take ends FAILED at the free-space reserve with the figures
 * and what to do, no stack trace reaches the terminal, and with the disk still full Capstan starts,
 * lists, verifies, exports elsewhere and refuses a new take up front; once there is space again a
 * new take records. Issue 8 (faults).
 */
class StoreFaultsProductTest {

    private static final String TONE = "capstan-tone";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;
    private static Path root;
    private static PipeWireSandbox sandbox;
    private static Tmpfs disk;

    @BeforeAll
    static void start() throws Exception {
        root = RecordFromPipeWireTest.repositoryRoot();
        Optional<String> missing = PipeWireSandbox.missing(root);
        Assumptions.assumeTrue(missing.isEmpty(), () -> "needs a private PipeWire: " + missing.orElse(""));
        disk = Tmpfs.mount(tmp.resolve("disk"), "6m");
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

    private static Command.Result capstan(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./capstan"));
        command.addAll(List.of(arguments));
        Map<String, String> environment = new HashMap<>(sandbox.environment());
        environment.put("CAPSTAN_HOME", disk.dir().toString());
        environment.put("CAPSTAN_NO_BUILD", "1");
        return Command.run(command, root, environment, TIMEOUT);
    }

    private static void assertNoStackTrace(Command.Result r) {
        String all = r.stdout() + r.stderr();
        assertFalse(all.contains("Exception") || all.contains("\tat "), "a stack trace reached the user:\n"
                + r.describe());
    }

    @Test
    void fullDiskEndsTheTakeAtTheReserveAndCapstanStillStartsListsVerifiesExportsAndRefusesUpFront()
            throws Exception {
        Command.Result full = capstan("record", "--device", TONE, "--seconds", "60");

        assertEquals(1, full.exitCode(), full.describe());
        assertNoStackTrace(full);
        assertTrue(full.stderr().contains("free-space reserve of its store " + disk.dir()), full.describe());
        assertTrue(full.stderr().contains("every frame up to then is sealed"), full.describe());
        assertTrue(full.stderr().contains("warning: the store " + disk.dir() + " has "), "warned first: " + full.describe());
        assertTrue(full.stderr().indexOf("warning: the store") < full.stderr().indexOf("free-space reserve of its store"),
                "the warning came before the end: " + full.describe());
        Matcher m = Pattern.compile("take (\\S+): (\\d+) frames, (\\d+) chunks, .*, FAILED").matcher(full.stdout());
        assertTrue(m.find(), full.describe());
        String take = m.group(1);
        long frames = Long.parseLong(m.group(2));
        assertTrue(frames > 48_000, "seconds of audio were kept: " + frames + " frames");
        Path filler = disk.fill("other-program"); // and something else takes the rest of the disk

        Command.Result takes = capstan("takes");
        assertEquals(0, takes.exitCode(), takes.describe());
        assertTrue(takes.stdout().contains(take) && takes.stdout().contains("FAILED"), takes.describe());
        Command.Result verify = capstan("verify");
        assertEquals(0, verify.exitCode(), verify.describe());
        Command.Result status = capstan("status");
        assertEquals(0, status.exitCode(), status.describe());
        assertTrue(status.stdout().contains("store cannot record"), status.describe());
        Command.Result refused = capstan("record", "--device", TONE, "--seconds", "1");
        assertEquals(1, refused.exitCode(), refused.describe());
        assertNoStackTrace(refused);
        assertTrue(refused.stderr().contains("cannot start a take: the store " + disk.dir()), refused.describe());
        assertTrue(refused.stderr().contains("reserveBytes"), "says what to do: " + refused.describe());
        Path wav = tmp.resolve("kept.wav");
        Command.Result export = capstan("export", take, "--out", wav.toString());
        assertEquals(0, export.exitCode(), export.describe());
        assertEquals(frames, WavFile.read(wav).frames(), "every kept frame exported");

        java.nio.file.Files.delete(filler);
        disk.remount("size=64m");
        Command.Result again = capstan("record", "--device", TONE, "--seconds", "1");
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stdout().contains("48000 frames"), again.describe());
    }
}
