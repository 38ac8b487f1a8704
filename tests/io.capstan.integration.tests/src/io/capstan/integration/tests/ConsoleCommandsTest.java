package io.capstan.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.capstan.api.CaptureBackend;
import io.capstan.api.ChunkStore;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.daemon.CommandGateway;
import io.capstan.transport.fifo.SidecarLauncher;

/**
 * The {@code capstan:*} Gogo commands in a real Gogo session: the command line of io.capstan.cli
 * over the control protocol this framework serves (configured here as {@code ./capstan console}
 * does), recording through the real FIFO transport from a {@code sox} sidecar into the real store.
 */
class ConsoleCommandsTest {

    private static ServiceRegistration<CaptureBackend> registration;
    private static Configuration daemon;

    @BeforeAll
    static void registerToneBackendAndServeTheProtocol() throws Exception {
        SidecarLauncher launcher = Services.await(SidecarLauncher.class);
        registration = Services.context().registerService(CaptureBackend.class, new SoxToneBackend(launcher), null);
        Services.await(DeviceRegistry.class).await(SoxToneBackend.TONE.id(), Duration.ofSeconds(10));
        Path runtime = Files.createTempDirectory("capstan-console-test"); // 0700
        daemon = Services.await(ConfigurationAdmin.class).getConfiguration("io.capstan.daemon", "?");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("runtimeDir", runtime.toString());
        p.put("mode", "console");
        daemon.update(p);
        CommandGateway gateway = Services.await(CommandGateway.class);
        assertEquals(runtime, gateway.runtimeDirectory());
    }

    @AfterAll
    static void unregister() throws Exception {
        daemon.delete();
        registration.unregister();
    }

    private static String run(String command) throws Exception {
        CommandProcessor processor = (CommandProcessor) Services.await("(objectClass=" + CommandProcessor.class.getName() + ")");
        Services.await("(osgi.command.scope=capstan)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            Object result = session.execute(command);
            if (result != null) {
                print.println(result);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void devicesListsEveryDeviceOnOneLine() throws Exception {
        String out = run("capstan:devices");
        assertTrue(out.lines().anyMatch(l -> l.matches("itest-tone\\s+2ch\\s+48000 Hz\\s+itest\\s+sox 1 kHz sine")),
                out);
    }

    @Test
    void recordStoresExactFramesAndExportsWav(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sox")), "sox is not installed: apt-get install sox");
        Path wav = dir.resolve("one-second.wav");
        String out = run("capstan:record --device itest-tone --seconds 1 --out " + wav);
        Matcher m = Pattern.compile("take (\\S+): 48000 frames").matcher(out);
        assertTrue(m.find(), out);
        Take take = Services.await(ChunkStore.class).take(m.group(1)).orElseThrow();
        assertEquals(TakeState.COMPLETE, take.state());
        assertEquals(48_000, take.frames());
        assertEquals(take.frames(), take.chunks().stream().mapToLong(c -> c.frames()).sum());
        assertTrue(Files.size(wav) >= 48_000L * 8 + 44, "WAV holds the PCM: " + Files.size(wav));
        assertTrue(out.contains("wrote " + wav), out);

        String takes = run("capstan:takes");
        assertTrue(takes.contains(take.id()), takes);
        String verify = run("capstan:verify " + take.id());
        assertTrue(verify.startsWith("OK: 1 takes"), verify);
    }

    @Test
    void recordNamesKnownDevicesForUnknownOne() throws Exception {
        String out = run("capstan:record --device no-such-device --seconds 1");
        assertTrue(out.contains("no device 'no-such-device'") && out.contains("itest-tone"), out);
        assertTrue(out.contains("1"), "the exit status is the command's result: " + out);
    }

    @Test
    void statusNamesStoreAndBackends() throws Exception {
        String out = run("capstan:status");
        assertTrue(out.contains("store: " + System.getenv("CAPSTAN_HOME")), out);
        assertTrue(out.contains("backend itest: 1 devices"), out);
        assertTrue(out.contains("backend sidecar:"), out);
    }

    @Test
    void awaitPrintsADeviceThatExistsAndNamesTheMissingOne() throws Exception {
        String found = run("capstan:await itest-tone --seconds 1");
        assertTrue(found.lines().anyMatch(l -> l.startsWith("itest-tone")), found);
        String missing = run("capstan:await no-such-device --seconds 0.2");
        assertTrue(missing.contains("no device 'no-such-device'") && missing.contains("200 ms"), missing);
    }

    @Test
    void recordSelectsADeviceByDescriptionPrefix() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sox")), "sox is not installed: apt-get install sox");
        String out = run("capstan:record --device 'sox 1 kHz' --seconds 0.5");
        assertTrue(out.contains("take ") && out.contains(": 24000 frames") && out.contains("capture: "), out);
    }

    @Test
    void helpExplainsTheCommandsAndTheirOptions() throws Exception {
        String help = run("help capstan:record");
        assertTrue(help.contains("record a device into the store"), help);
        String options = run("capstan:record --help");
        assertTrue(options.contains("--device=DEVICE") && options.contains("--seconds=N"), options);
    }
}
