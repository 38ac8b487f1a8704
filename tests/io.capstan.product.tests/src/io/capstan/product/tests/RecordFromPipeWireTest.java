package io.capstan.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product end to end: {@code ./capstan} records from virtual capture devices of a private
 * PipeWire ({@code tools/pw-sandbox}) fed with a 440 Hz sine and with looped speech.
 */
class RecordFromPipeWireTest {

    private static final String TONE = "capstan-tone";
    private static final String SPEECH = "capstan-speech";
    private static final int RATE = 48000;
    private static final int SECONDS = 5;
    private static final Duration CAPSTAN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);
    private static final String PACKAGES = "pipewire pipewire-bin wireplumber espeak-ng sox";

    @TempDir
    static Path tmp;

    private static Path root;
    private static PipeWireSandbox sandbox;
    private static Path reference;

    private static String skipReason;

    @BeforeAll
    static void startSandbox() throws IOException, InterruptedException {
        root = repositoryRoot();
        Optional<String> missing = PipeWireSandbox.missing(root);
        if (missing.isPresent()) {
            skipReason = "needs a private PipeWire: install " + PACKAGES + "; tools/pw-sandbox check says: "
                    + missing.get();
            return;
        }

        Path speech = tmp.resolve("speech.wav");
        run(List.of("espeak-ng", "-w", speech.toString(),
                "Capstan records this sentence from a virtual microphone. One, two, three, four, five."));
        // The same conversion as the feeder's, so that the samples match one for one.
        reference = tmp.resolve("speech-48k.wav");
        run(List.of("sox", "-D", speech.toString(), "-r", String.valueOf(RATE), "-c", "2",
                "-e", "floating-point", "-b", "32", reference.toString()));

        sandbox = PipeWireSandbox.start(root, tmp.resolve("sandbox"),
                List.of("--tone", TONE + ":440:0.5", "--file", SPEECH + ":" + speech));
        System.out.println("pw-sandbox start took " + sandbox.startTime().toMillis() + " ms");
    }

    /** Each test is reported skipped, with the reason, when the class could not set up. */
    @BeforeEach
    void needsTheSetUp() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void stopSandbox() throws IOException, InterruptedException {
        if (sandbox != null) {
            sandbox.stop();
            sandbox = null;
        }
    }

    @Test
    void recordsToneFromVirtualSource() throws IOException, InterruptedException {
        WavFile take = record(TONE, tmp.resolve("tone.wav"));

        for (int channel = 0; channel < take.channels(); channel++) {
            double[] x = take.samples()[channel];
            String which = "channel " + channel + ": ";
            assertEquals(440.0, SignalAnalysis.dominantFrequency(x, RATE), 0.5, which + "frequency");
            assertEquals(0.5, SignalAnalysis.peak(x), 0.02, which + "peak");
            // A capture may open with silence until the graph runs; the sine itself must be whole.
            double[] sine = SignalAnalysis.trimSilence(x, 1e-3);
            assertTrue(sine.length >= x.length - RATE / 10,
                    which + "only " + sine.length + " of " + x.length + " frames carry the tone");
            List<Integer> breaks = SignalAnalysis.discontinuities(sine, 1e-4);
            assertTrue(breaks.isEmpty(), which + breaks.size() + " discontinuities, first at frames "
                    + breaks.subList(0, Math.min(10, breaks.size())) + " of the trimmed tone");
        }
    }

    @Test
    void recordsSpeechFromVirtualSource() throws IOException, InterruptedException {
        WavFile take = record(SPEECH, tmp.resolve("speech-take.wav"));
        double[] fed = WavFile.read(reference).samples()[0];

        for (int channel = 0; channel < take.channels(); channel++) {
            SignalAnalysis.Correlation c = SignalAnalysis.correlateLooped(take.samples()[channel], fed);
            assertTrue(c.coefficient() > 0.9, "channel " + channel + ": best correlation with the fed speech "
                    + c.coefficient() + " at lag " + c.lag());
        }
    }

    @Test
    void devicesListsVirtualSources() throws IOException, InterruptedException {
        Command.Result devices = capstan(List.of("devices"));

        assertEquals(0, devices.exitCode(), devices::describe);
        assertTrue(devices.stdout().lines().anyMatch(
                line -> line.startsWith(TONE) && line.contains("2ch") && line.contains("48000 Hz")),
                () -> "no line 'capstan-tone ... 2ch ... 48000 Hz':\n" + devices.describe());
        List<String> tone = devices.stdout().lines().filter(line -> line.startsWith(TONE + " ")).toList();
        assertEquals(1, tone.size(), () -> "capstan-tone listed once (native backend, not again through the"
                + " sidecar):\n" + devices.describe());
        assertTrue(tone.get(0).contains(" pipewire "), () -> "native backend column:\n" + devices.describe());
        assertTrue(tone.get(0).contains(" 2ch [FL FR] "), () -> "channel positions:\n" + devices.describe());
    }

    @Test
    void recordsThroughTheSidecarWhenAsked() throws IOException, InterruptedException {
        Command.Result result = capstan(List.of("record", "--backend", "sidecar", "--device", TONE, "--seconds", "2"));

        assertEquals(0, result.exitCode(), result::describe);
        assertTrue(result.stdout().contains(2 * RATE + " frames") && result.stdout().contains("backend sidecar"),
                result::describe);
    }

    @Test
    void refusesAnotherRateUnlessConversionIsAsked() throws IOException, InterruptedException {
        Command.Result refused = capstan(List.of("record", "--device", TONE, "--seconds", "1", "--rate", "44100"));
        assertEquals(1, refused.exitCode(), refused::describe);
        assertTrue(refused.stderr().contains("48000 Hz 2ch natively") && refused.stderr().contains("--convert"),
                refused::describe);

        Path out = tmp.resolve("converted.wav");
        Command.Result converted = capstan(List.of("record", "--device", TONE, "--seconds", "2", "--rate", "44100",
                "--channels", "1", "--convert", "--out", out.toString()));
        assertEquals(0, converted.exitCode(), converted::describe);
        WavFile take = WavFile.read(out);
        assertEquals(44_100, take.sampleRate(), "converted rate");
        assertEquals(1, take.channels(), "converted channels");
        assertEquals(2 * 44_100, take.frames(), "frames");
        assertEquals(440.0, SignalAnalysis.dominantFrequency(take.samples()[0], 44_100), 1.0, "frequency");
    }

    @Test
    void recordsTheDefaultSourceAndPrintsAndStoresItsStatistics() throws IOException, InterruptedException {
        Command.Result result = capstan(List.of("record", "--device", "default", "--seconds", "1"));

        assertEquals(0, result.exitCode(), result::describe);
        assertTrue(result.stdout().contains("capture: ") && result.stdout().contains(" callbacks")
                && result.stdout().contains("0 overruns") && result.stdout().contains("longest callback"),
                result::describe);
        java.util.regex.Matcher id = java.util.regex.Pattern.compile("take (\\S+): ").matcher(result.stdout());
        assertTrue(id.find(), result::describe);
        String manifest = Files.readString(tmp.resolve("home").resolve("takes").resolve(id.group(1) + ".json"));
        java.util.regex.Matcher callbacks = java.util.regex.Pattern
                .compile("\"statistics\" : \\{[^}]*\"callbacks\" : (\\d+)").matcher(manifest);
        assertTrue(callbacks.find() && Long.parseLong(callbacks.group(1)) > 0,
                "the manifest keeps the take's statistics:\n" + manifest);
    }

    /** Regression test for issue 3: a recording never silently continues from another microphone. */
    @Test
    void deviceRemovedMidTakeEndsTheTakeWithSealedChunks() throws IOException, InterruptedException {
        String gone = "capstan-gone";
        tool(List.of("pw-cli", "create-node", "adapter", "{ factory.name=support.null-audio-sink node.name=" + gone
                + " media.class=Audio/Source/Virtual audio.position=[FL FR] audio.channels=2 audio.rate=48000"
                + " object.linger=true }"));
        Path stdout = tmp.resolve("gone.out");
        Path stderr = tmp.resolve("gone.err");
        ProcessBuilder builder = new ProcessBuilder("./capstan", "record", "--device", gone, "--seconds", "30")
                .directory(root.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(capstanEnvironment());
        Process record = builder.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(Files.exists(stderr) && Files.readString(stderr).contains("recording " + gone))) {
                assertTrue(System.nanoTime() < deadline && record.isAlive(), "recording did not start: "
                        + Files.readString(stderr));
                Thread.sleep(50);
            }
            // Wait (bounded) until the take has sealed two chunks of 512 KiB (1.4 s each).
            while (sealedChunks(gone) < 2) {
                assertTrue(System.nanoTime() < deadline && record.isAlive(), "no two chunks sealed: "
                        + Files.readString(stderr));
                Thread.sleep(50);
            }
            tool(List.of("pw-cli", "destroy", gone));
            assertTrue(record.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "the take did not end");
        } finally {
            record.destroyForcibly();
        }
        String out = Files.readString(stdout);
        String err = Files.readString(stderr);
        String both = out + "\n--- stderr ---\n" + err;
        assertEquals(1, record.exitValue(), both);
        assertTrue(out.contains("FAILED"), both);
        assertTrue(err.contains(gone) && (err.contains("removed") || err.contains("went away")
                || err.contains("disconnected")), both);

        Command.Result takes = capstan(List.of("takes"));
        String line = takes.stdout().lines().filter(l -> l.contains(gone)).findFirst().orElseThrow(
                () -> new AssertionError("take of " + gone + " not listed:\n" + takes.describe()));
        String takeId = line.split("\\s+")[0];
        assertTrue(line.contains("FAILED"), line);
        assertFalse(line.contains(" 0 chunks"), "partial chunks sealed: " + line);
        Command.Result verify = capstan(List.of("verify", takeId));
        assertEquals(0, verify.exitCode(), verify::describe);

        Path wav = tmp.resolve("gone.wav");
        Command.Result export = capstan(List.of("export", takeId, "--out", wav.toString()));
        assertEquals(0, export.exitCode(), export::describe);
        WavFile take = WavFile.read(wav);
        assertTrue(take.frames() > 2 * RATE, "frames before the removal: " + take.frames());
        assertEquals(0.0, SignalAnalysis.peak(take.samples()[0]), "the silent source only; no other device's audio");
    }

    @Test
    void verifyPassesAfterRecording() throws IOException, InterruptedException {
        record(TONE, tmp.resolve("before-verify.wav"));

        Command.Result verify = capstan(List.of("verify"));

        assertEquals(0, verify.exitCode(), verify::describe);
    }

    /** Records {@link #SECONDS} from a device and checks the report and the format of the take. */
    private static WavFile record(String device, Path out) throws IOException, InterruptedException {
        Command.Result result = capstan(List.of("record", "--device", device,
                "--seconds", String.valueOf(SECONDS), "--out", out.toString()));

        assertEquals(0, result.exitCode(), result::describe);
        String report = result.stdout().toLowerCase(Locale.ROOT);
        assertTrue(report.contains("take"), () -> "no take id reported:\n" + result.describe());
        assertTrue(report.contains("chunk"), () -> "no chunks reported:\n" + result.describe());
        assertTrue(Pattern.compile("\\b" + SECONDS * RATE + "\\b").matcher(report).find(),
                () -> "frames (" + SECONDS * RATE + ") not reported:\n" + result.describe());
        assertTrue(result.stdout().contains(out.toString()), () -> "WAV path not reported:\n" + result.describe());
        assertTrue(Files.isRegularFile(out), () -> out + " not written:\n" + result.describe());

        WavFile take = WavFile.read(out);
        assertEquals(RATE, take.sampleRate(), "sample rate");
        assertEquals(2, take.channels(), "channels");
        assertEquals(SECONDS * RATE, take.frames(), "frames");
        assertTrue(take.floatingPoint(), "float samples, format tag " + take.formatTag());
        assertTrue(result.stdout().contains("backend pipewire"), () -> "native backend by default:\n"
                + result.describe());
        assertFalse(SignalAnalysis.rms(take.samples()[0]) == 0, "silent take");
        return take;
    }

    private static Command.Result capstan(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./capstan"));
        command.addAll(arguments);
        return Command.run(command, root, capstanEnvironment(), CAPSTAN_TIMEOUT);
    }

    /** @return chunks listed in the manifest of the (one) take of {@code deviceId}, 0 while none */
    private static long sealedChunks(String deviceId) throws IOException {
        Path takes = tmp.resolve("home").resolve("takes");
        if (!Files.isDirectory(takes)) {
            return 0;
        }
        try (var files = Files.list(takes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                String json = Files.readString(f);
                if (json.contains("\"deviceId\" : \"" + deviceId + "\"")) {
                    // while the take records, its sealed chunks are lines of its chunk log (STORAGE.md)
                    String id = f.getFileName().toString().replace(".json", "");
                    Path log = tmp.resolve("home").resolve("staging").resolve(id).resolve("chunks.log");
                    long logged = Files.exists(log) ? Files.readString(log).chars().filter(c -> c == '\n').count() - 1 : 0;
                    return Math.max(logged, json.split("\"sha256\"", -1).length - 1);
                }
            }
        }
        return 0;
    }

    private static Map<String, String> capstanEnvironment() {
        Map<String, String> environment = new HashMap<>(sandbox.environment());
        environment.put("CAPSTAN_HOME", tmp.resolve("home").toString());
        environment.put("CAPSTAN_NO_BUILD", "1");
        return environment;
    }

    /** Runs a PipeWire tool against the sandbox; it must succeed. */
    private static void tool(List<String> command) throws IOException, InterruptedException {
        Command.Result result = Command.run(command, tmp, sandbox.environment(), TOOL_TIMEOUT);
        if (result.timedOut() || result.exitCode() != 0) {
            throw new IOException(result.describe());
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Command.Result result = Command.run(command, tmp, Map.of(), TOOL_TIMEOUT);
        if (result.timedOut() || result.exitCode() != 0) {
            throw new IOException(result.describe());
        }
    }

    /** The nearest directory above the working directory holding both {@code capstan} and {@code mvnw}. */
    static Path repositoryRoot() throws IOException {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("capstan")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IOException("no directory holding both 'capstan' and 'mvnw' at or above " + start);
    }
}
