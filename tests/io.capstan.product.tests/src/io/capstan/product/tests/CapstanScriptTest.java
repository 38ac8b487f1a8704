package io.capstan.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a service manager, a script or an agent that runs {@code ./capstan} may rely on. */
class CapstanScriptTest {

    @TempDir
    static Path tmp;

    /**
     * {@code ./capstan} runs the JVM as its child (it builds the product first when needed, and
     * falls back from the daemon client to the product); a TERM sent to the script alone, as
     * {@code kill PID} or a service manager sends it, must end that JVM too, not orphan it, and
     * the daemon must stop as {@code ./capstan stop} stops it: its socket and pid file removed.
     * A user's daemon settings in dropins/ apply, and their file is left as the user wrote it
     * (FileInstall used to delete it when the daemon dropped its configuration at exit).
     */
    @Test
    void terminatingTheScriptEndsTheJavaItStartedAndTheDaemonStopsCleanly() throws Exception {
        Path root = RecordFromPipeWireTest.repositoryRoot();
        Path xdg = Files.createDirectory(tmp.resolve("xdg"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path log = tmp.resolve("daemon.log");
        Path dropins = Files.createDirectory(tmp.resolve("dropins"));
        String settings = "# my daemon settings\nmaxLineBytes=I\"300\"\n";
        Path settingsFile = Files.writeString(dropins.resolve("io.capstan.daemon.config"), settings);
        ProcessBuilder b = new ProcessBuilder(List.of("./capstan", "daemon")).directory(root.toFile())
                .redirectOutput(log.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        b.environment().put("XDG_RUNTIME_DIR", xdg.toString());
        b.environment().put("CAPSTAN_HOME", tmp.resolve("home").toString());
        b.environment().put("CAPSTAN_NO_BUILD", "1");
        b.environment().put("CAPSTAN_DROPINS", dropins.toString());
        Process script = b.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // up when it says so: with settings in dropins/ the socket exists before the daemon has configured itself
            while (!Files.exists(xdg.resolve("capstan").resolve("control.sock"))
                    || !readQuietly(log).contains("capstan: daemon running")) {
                assertTrue(System.nanoTime() < deadline && script.isAlive(), "the daemon did not come up: "
                        + Files.readString(log));
                Thread.sleep(100);
            }
            // a daemon configured from dropins/ restarts its control socket once or more while its
            // components take the run's settings (noticed, not fixed: see docs/ARCHITECTURE.md): ask again
            String reply = null;
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); System.nanoTime() < until;) {
                try (DaemonClient client = new DaemonClient(xdg.resolve("capstan").resolve("control.sock"))) {
                    client.send("{\"id\":1,\"op\":\"status\",\"pad\":\"" + "x".repeat(400) + "\"}");
                    reply = client.readLine();
                } catch (java.io.IOException e) {
                    reply = null; // the socket was being replaced
                }
                if (reply != null) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(reply != null && reply.contains("longer than 300 bytes"), "the user's maxLineBytes applies: "
                    + reply + "\n" + readQuietly(log));
            Optional<ProcessHandle> java = script.children()
                    .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).findFirst();
            assertTrue(java.isPresent(), "the daemon's JVM is the script's child");

            script.destroy(); // SIGTERM, to the script only

            assertTrue(script.waitFor(30, TimeUnit.SECONDS), "the script ended");
            java.get().onExit().get(30, TimeUnit.SECONDS);
            assertFalse(java.get().isAlive(), "the JVM ended with the script: " + Files.readString(log));
            Path run = xdg.resolve("capstan");
            assertTrue(Files.readString(log).contains("capstan: daemon stopped"), () -> "the daemon stopped as"
                    + " on ./capstan stop: " + readQuietly(log));
            for (String left : List.of("control.sock", "daemon.pid")) {
                assertFalse(Files.exists(run.resolve(left)), left + " removed: " + readQuietly(log));
            }
            assertTrue(Files.exists(settingsFile), "the user's settings file is still there");
            assertEquals(settings, Files.readString(settingsFile), "and unchanged");
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }
}
