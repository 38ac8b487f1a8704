package io.capstan.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code capstan} command line as a process, with and without a daemon, on a private PipeWire
 * with a tone: the same output and exit status on both paths; Ctrl-C ending an open-ended take;
 * rm and gc beside a recording take; SIGKILL in the middle of gc.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
class CommandLineProductTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String TONE = "capstan-tone";

    @TempDir
    static Path tmp;

    private static Path root;
    private static PipeWireSandbox sandbox;
    private static final Map<String, String> env = new HashMap<>();
    private static Path runtime;
    private static Path home;
    private static Process daemon;

    @BeforeAll
    static void sandbox() throws Exception {
        root = RecordFromPipeWireTest.repositoryRoot();
        Optional<String> missing = PipeWireSandbox.missing(root);
        Assumptions.assumeTrue(missing.isEmpty(), () -> "no PipeWire sandbox: " + missing.orElse(""));
        sandbox = PipeWireSandbox.start(root, tmp.resolve("sandbox"), List.of("--tone", TONE + ":440:0.5"));
        env.putAll(sandbox.environment());
        home = tmp.resolve("home");
        env.put("CAPSTAN_HOME", home.toString());
        env.put("CAPSTAN_NO_BUILD", "1");
        runtime = Path.of(env.get("XDG_RUNTIME_DIR")).resolve("capstan");
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            if (daemon != null && daemon.isAlive()) {
                daemon.descendants().forEach(ProcessHandle::destroy);
                daemon.destroy();
                daemon.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            if (sandbox != null) {
                sandbox.stop();
            }
        }
    }

    static Command.Result capstan(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./capstan"));
        command.addAll(List.of(args));
        return Command.run(command, root, env, TIMEOUT);
    }

    static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("./capstan"));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        b.environment().putAll(env);
        return b.start();
    }

    static void startDaemon() throws Exception {
        daemon = start(tmp.resolve("daemon.log"), "daemon");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(runtime.resolve("control.sock"))) {
            assertTrue(daemon.isAlive(), () -> "the daemon exited: " + read(tmp.resolve("daemon.log")));
            assertTrue(System.nanoTime() < deadline, "the daemon did not come up");
            Thread.sleep(100);
        }
    }

    static void stopDaemon() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            Command.Result stop = capstan("stop");
            assertEquals(0, stop.exitCode(), stop::describe);
            assertTrue(daemon.waitFor(60, TimeUnit.SECONDS));
        }
        daemon = null;
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** Waits (bounded) until {@code status --json} lists a recording take; returns its id. */
    static String awaitRecording(int minChunks) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Command.Result s = capstan("status", "--json");
            if (s.exitCode() == 0) {
                JsonNode recording = DaemonClient.JSON.readTree(s.stdout()).path("recording");
                if (recording.size() > 0 && recording.get(0).path("chunks").asInt() >= minChunks) {
                    return recording.get(0).path("take").asText();
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no take started recording");
    }

    /** Waits (bounded) until a started command's output holds {@code text}. */
    static void awaitLine(Process p, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!read(log).contains(text)) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, () -> "no '" + text + "' in: " + read(log));
            Thread.sleep(50);
        }
    }

    static void interrupt(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
    }

    private static String takeId(Command.Result record) {
        var m = java.util.regex.Pattern.compile("take (\\S+): ").matcher(record.stdout());
        assertTrue(m.find(), record::describe);
        return m.group(1);
    }

    @Test
    @Order(1)
    void everyCommandGivesTheSameOutputAndExitStatusWithAndWithoutADaemon() throws Exception {
        Command.Result first = capstan("record", "--device", TONE, "--seconds", "1");
        assertEquals(0, first.exitCode(), first::describe);
        String take = takeId(first);
        Path wav = tmp.resolve("same.wav");
        Map<String, String[]> table = new LinkedHashMap<>();
        table.put("devices", new String[] { "devices" });
        table.put("devices --json", new String[] { "devices", "--json" });
        table.put("takes", new String[] { "takes" });
        table.put("takes --device", new String[] { "takes", "--device", TONE, "--state", "complete" });
        table.put("take", new String[] { "take", take });
        table.put("take --json", new String[] { "take", take, "--json" });
        table.put("verify", new String[] { "verify", take });
        table.put("export", new String[] { "export", take, "--out", wav.toString() });
        table.put("await", new String[] { "await", TONE, "--seconds", "2" });
        table.put("await missing", new String[] { "await", "no-such-device", "--seconds", "0.2" });
        table.put("take unknown", new String[] { "take", "20200101-000000-000-0000" });
        table.put("bad state", new String[] { "takes", "--state", "LOUD" });
        table.put("bad seconds", new String[] { "record", "--device", TONE, "--seconds", "-1" });
        table.put("unknown verb", new String[] { "recrod" });
        table.put("rm unknown", new String[] { "rm", "20200101-000000-000-0000" });
        table.put("help", new String[] { "record", "--help" });
        Map<String, Command.Result> without = new LinkedHashMap<>();
        for (var row : table.entrySet()) {
            without.put(row.getKey(), capstan(row.getValue()));
        }
        startDaemon();
        try {
            for (var row : table.entrySet()) {
                Command.Result a = without.get(row.getKey());
                Command.Result b = capstan(row.getValue());
                assertEquals(a.exitCode(), b.exitCode(), () -> row.getKey() + ":\n" + a.describe() + "\n" + b.describe());
                assertEquals(a.stdout(), b.stdout(), () -> row.getKey() + ":\n" + a.describe() + "\n" + b.describe());
                assertEquals(a.stderr(), b.stderr(), () -> row.getKey() + ":\n" + a.describe() + "\n" + b.describe());
                assertFalse(b.stderr().contains("Exception"), b::describe);
            }
            Command.Result status = capstan("status");
            assertTrue(status.stdout().startsWith("daemon running") && status.stdout().contains("dropins: "),
                    status::describe);
        } finally {
            stopDaemon();
        }
        Command.Result status = capstan("status");
        assertTrue(status.stdout().contains("no daemon runs; this command ran in a Capstan of its own")
                && status.stdout().contains("dropins: ") && status.stdout().contains("settings: "), status::describe);
        assertEquals(1, without.get("await missing").exitCode());
        assertEquals(1, without.get("take unknown").exitCode());
        assertEquals(2, without.get("bad state").exitCode());
        assertEquals(2, without.get("bad seconds").exitCode());
        assertEquals(2, without.get("unknown verb").exitCode());
        assertEquals(0, without.get("help").exitCode());
        assertEquals(3, capstan("stop").exitCode(), "stop without a daemon");
        assertEquals(48_000, WavFile.read(wav).frames());
    }

    @Test
    @Order(2)
    void ctrlCEndsAnOpenEndedTakeWithExitZeroAndACompleteWav() throws Exception {
        for (boolean withDaemon : new boolean[] { false, true }) {
            if (withDaemon) {
                startDaemon();
            }
            try {
                Path wav = tmp.resolve("open-" + withDaemon + ".wav");
                Path log = tmp.resolve("open-" + withDaemon + ".log");
                Process record = start(log, "record", "--device", TONE, "--out", wav.toString());
                awaitLine(record, log, "recording " + TONE); // it serves the socket now (no daemon) or uses the daemon's
                String take = awaitRecording(2);
                interrupt(record);
                assertTrue(record.waitFor(60, TimeUnit.SECONDS), () -> read(log));
                assertEquals(0, record.exitValue(), () -> read(log));
                Command.Result info = capstan("take", take, "--json");
                JsonNode t = DaemonClient.JSON.readTree(info.stdout());
                assertEquals("COMPLETE", t.path("state").asText(), info::describe);
                assertTrue(t.path("frames").asLong() >= 96_000, info::describe);
                assertEquals(t.path("frames").asLong(), WavFile.read(wav).frames(), () -> read(log));
                assertTrue(read(log).contains("wrote " + wav), () -> read(log));
            } finally {
                stopDaemon();
            }
        }
    }

    @Test
    @Order(3)
    void rmAndGcFreeExactlyTheUnreferencedChunksWhileAnotherTakeRecords() throws Exception {
        startDaemon();
        try {
            String a = takeId(capstan("record", "--device", TONE, "--seconds", "2"));
            String b = takeId(capstan("record", "--device", TONE, "--seconds", "2"));
            Process open = start(tmp.resolve("beside.log"), "record", "--device", TONE);
            awaitLine(open, tmp.resolve("beside.log"), "recording " + TONE);
            String c = awaitRecording(1);
            java.util.Set<String> before = objects();
            JsonNode takeA = DaemonClient.JSON.readTree(capstan("take", a, "--json").stdout());
            JsonNode takeB = DaemonClient.JSON.readTree(capstan("take", b, "--json").stdout());

            Command.Result busy = capstan("rm", c);
            assertEquals(1, busy.exitCode(), busy::describe);
            assertTrue(busy.stderr().contains("is recording"), busy::describe);
            Command.Result rm = capstan("rm", a);
            assertEquals(0, rm.exitCode(), rm::describe);
            Command.Result gc = capstan("gc", "--grace", "0", "--json");
            assertEquals(0, gc.exitCode(), gc::describe);

            // A steady tone repeats every 1200 frames: another take may hold a chunk of A's very content,
            // and C, recording on, may seal one again. So: what went is A's, something went, and the
            // store verifies. (GarbageCollectorTest checks "exactly the unreferenced" deterministically.)
            java.util.Set<String> ofA = new java.util.HashSet<>();
            takeA.path("chunkList").forEach(ch -> ofA.add(ch.path("sha256").asText()));
            java.util.Set<String> gone = new java.util.HashSet<>(before);
            gone.removeAll(objects());
            assertFalse(gone.isEmpty(), gc::describe);
            assertTrue(ofA.containsAll(gone), "only A's chunks went: " + gone + " of " + ofA);
            long deleted = DaemonClient.JSON.readTree(gc.stdout()).path("deleted").asLong();
            assertTrue(deleted >= gone.size() && deleted <= ofA.size(), gc::describe);
            takeB.path("chunkList").forEach(ch -> assertTrue(Files.exists(object(ch.path("sha256").asText())),
                    "B's chunks stay"));
            Command.Result stop = capstan("stop-take", c);
            assertEquals(0, stop.exitCode(), stop::describe);
            assertTrue(open.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, open.exitValue(), () -> read(tmp.resolve("beside.log")));
            Command.Result verify = capstan("verify");
            assertEquals(0, verify.exitCode(), verify::describe);
            assertFalse(capstan("takes").stdout().contains(a));
        } finally {
            stopDaemon();
        }
    }

    @Test
    @Order(4)
    void aSigkillInTheMiddleOfGcLeavesAStoreThatVerifies() throws Exception {
        // many unreferenced objects, so that gc is still deleting when it is killed
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 20_000; i++) {
            byte[] content = ("unreferenced " + i).getBytes();
            Path p = object(HexFormat.of().formatHex(sha256.digest(content)));
            Files.write(p, content);
        }
        int stray = strays();
        Process gc = start(tmp.resolve("gc.log"), "gc", "--grace", "0");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (strays() > stray - 200) {
            assertTrue(gc.isAlive() && System.nanoTime() < deadline, () -> read(tmp.resolve("gc.log")));
            Thread.sleep(5);
        }
        List<ProcessHandle> jvms = gc.descendants().filter(h -> h.info().command().orElse("").endsWith("java")).toList();
        assertFalse(jvms.isEmpty());
        new ProcessBuilder("kill", "-KILL", Long.toString(jvms.get(0).pid())).start().waitFor();
        gc.waitFor(30, TimeUnit.SECONDS);
        int left = strays();
        assertTrue(left > 0 && left < stray, "killed in the middle: " + left + " of " + stray + " left");

        Command.Result verify = capstan("verify");
        assertEquals(0, verify.exitCode(), verify::describe);
        Command.Result again = capstan("gc", "--grace", "0");
        assertEquals(0, again.exitCode(), again::describe);
        assertEquals(0, strays());
        assertEquals(0, capstan("verify").exitCode());
    }

    private static Path object(String sha) {
        return home.resolve("objects").resolve(sha.substring(0, 2)).resolve(sha.substring(2));
    }

    /** @return the SHA-256 of every object in the store */
    private static java.util.Set<String> objects() throws IOException {
        try (Stream<Path> files = Files.walk(home.resolve("objects"))) {
            return new java.util.HashSet<>(files.filter(Files::isRegularFile)
                    .map(f -> f.getParent().getFileName() + "" + f.getFileName()).toList());
        }
    }

    /** @return how many objects are the test's strays (tiny files); gc may be deleting meanwhile */
    private static int strays() throws IOException {
        int[] n = {0};
        Files.walkFileTree(home.resolve("objects"), new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.isRegularFile() && a.size() < 64) {
                    n[0]++;
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE; // deleted while we looked
            }
        });
        return n[0];
    }
}
