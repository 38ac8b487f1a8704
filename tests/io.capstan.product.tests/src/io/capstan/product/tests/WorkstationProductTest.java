package io.capstan.product.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workstation product as users start it, {@code ./capstan workstation} under
 * {@code xvfb-run}: it reports ready, opens a device view for each device of a test-signal jar
 * dropped into its dropins directory and closes them when the jar is deleted. With
 * {@code CAPSTAN_BENCHMARK=1} in the environment it also prints the product's start time, RSS
 * and CPU for docs/BENCHMARKS.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkstationProductTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern READY = Pattern.compile("workstation ready (\\d+) ms after the JVM started");

    @TempDir
    static Path tmp;
    private static Path root;
    private static Process workstation;
    private static long spawnedNanos;
    private static long readyNanos;
    private static final List<String> log = new CopyOnWriteArrayList<>();

    private static String skipReason;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/xvfb-run"))) {
            skipReason = "needs xvfb-run: install xvfb xauth libgtk-3-0 fonts-dejavu-core";
            return;
        }
        root = root();
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/xvfb-run", "-a", "-s", "-screen 0 1280x800x24", "./capstan",
                "workstation").directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("CAPSTAN_HOME", tmp.resolve("home").toString());
        pb.environment().put("CAPSTAN_DROPINS", tmp.resolve("dropins").toString());
        pb.environment().put("CAPSTAN_NO_BUILD", "1");
        pb.environment().putAll(runtimeEnvironment());
        spawnedNanos = System.nanoTime();
        workstation = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(workstation.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    log.add(line);
                    if (readyNanos == 0 && READY.matcher(line).find()) {
                        readyNanos = System.nanoTime();
                    }
                }
            } catch (IOException e) {
                log.add("reading the output failed: " + e);
            }
        }, "workstation-output");
        reader.setDaemon(true);
        reader.start();
        await("the workstation reports ready", () -> readyNanos != 0);
    }

    /** A private runtime directory: the workstation's control socket must not meet another daemon's. */
    static java.util.Map<String, String> runtimeEnvironment() throws IOException {
        Path runtime = tmp.resolve("runtime");
        Files.createDirectories(runtime, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        return java.util.Map.of("XDG_RUNTIME_DIR", runtime.toString());
    }

    /** Each test is reported skipped, with the reason, when the class could not set up. */
    @BeforeEach
    void needsTheSetUp() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (workstation != null) {
            workstation.descendants().forEach(ProcessHandle::destroy);
            workstation.destroy();
            if (!workstation.waitFor(20, TimeUnit.SECONDS)) {
                workstation.descendants().forEach(ProcessHandle::destroyForcibly);
                workstation.destroyForcibly();
            }
        }
    }

    interface Condition {
        boolean met() throws Exception;
    }

    static void await(String what, Condition condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        try {
            while (!condition.met()) {
                if (!workstation.isAlive()) {
                    throw new AssertionError("the workstation exited (" + workstation.exitValue() + ") before " + what
                            + "; output:\n" + String.join("\n", log));
                }
                if (System.nanoTime() > end) {
                    throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting until " + what
                            + "; output:\n" + String.join("\n", log));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException | AssertionError e) {
            throw e;
        } catch (Exception e) {
            throw new AssertionError(what, e);
        }
    }

    static boolean logged(String text) {
        return log.stream().anyMatch(l -> l.contains(text));
    }

    static Path testSignalJar() {
        Path jar = root.resolve("bundles/io.capstan.backend.testsignal/target/io.capstan.backend.testsignal-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(jar), "build the test-signal bundle first: " + jar);
        return jar;
    }

    @Test
    @Order(1)
    void opensAndClosesDeviceViewsForABackendDroppedIntoDropins() throws Exception {
        Path dropped = tmp.resolve("dropins").resolve("testsignal.jar");
        Files.copy(testSignalJar(), dropped);
        await("a device view for the dropped backend's 440 Hz sine", () -> logged("device view opened: testsignal-sine-440"));
        await("and for its silence", () -> logged("device view opened: testsignal-silence"));
        if ("1".equals(System.getenv("CAPSTAN_BENCHMARK"))) {
            benchmark(dropped);
        }
        Files.delete(dropped);
        await("the views close when the jar is deleted", () -> logged("device view closed: testsignal-sine-440"));
        assertTrue(log.stream().noneMatch(l -> l.contains("SEVERE") || l.contains("Exception")), String.join("\n", log));
    }

    /** The workstation serves the control socket like the daemon: the CLI talks to it, and stop closes it. */
    @Test
    @Order(2)
    void servesTheControlSocketAndClosesOnStop() throws Exception {
        Command.Result status = cli("status");
        assertTrue(status.exitCode() == 0 && status.stdout().contains("workstation running")
                && status.stdout().contains("socket: " + tmp.resolve("runtime")), status::describe);
        Command.Result stop = cli("stop");
        assertTrue(stop.exitCode() == 0, stop::describe);
        assertTrue(workstation.waitFor(60, TimeUnit.SECONDS), () -> "the workstation did not close on stop; output:\n"
                + String.join("\n", log));
        assertTrue(logged("stop requested through the control socket"), String.join("\n", log));
    }

    private static Command.Result cli(String command) throws IOException, InterruptedException {
        java.util.Map<String, String> env = new java.util.HashMap<>(runtimeEnvironment());
        env.put("CAPSTAN_HOME", tmp.resolve("home").toString());
        env.put("CAPSTAN_NO_BUILD", "1");
        return Command.run(List.of("./capstan", command), root, env, Duration.ofSeconds(90));
    }

    private void benchmark(Path dropped) throws Exception {
        Matcher m = log.stream().map(READY::matcher).filter(Matcher::find).findFirst().orElseThrow();
        ProcessHandle jvm = workstation.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                .findFirst().orElseThrow();
        StringBuilder out = new StringBuilder();
        out.append("product: JVM start to window shown and ready: ").append(m.group(1)).append(" ms; ./capstan spawned to ready: ")
                .append((readyNanos - spawnedNanos) / 1_000_000).append(" ms\n");
        Files.delete(dropped);
        await("the views close", () -> logged("device view closed: testsignal-silence"));
        Thread.sleep(3000);
        out.append("product: RSS idle (no device views): ").append(rss(jvm)).append(" MiB\n");
        // Felix's typed .config format stores doubles as their raw long bits
        String frequencies = java.util.stream.LongStream.rangeClosed(1, 8)
                .mapToObj(i -> "\"" + Double.doubleToRawLongBits(110.0 * i) + "\"")
                .collect(java.util.stream.Collectors.joining(","));
        Files.writeString(tmp.resolve("dropins/io.capstan.backend.testsignal.config"),
                "frequencies=D[" + frequencies + "]\nsilence=B\"false\"\npinkNoise=B\"false\"\n");
        Files.copy(testSignalJar(), dropped);
        await("8 device views", () -> logged("device view opened: testsignal-sine-880")
                && logged("device view opened: testsignal-sine-110"));
        Thread.sleep(5000);
        out.append("product: RSS with 8 device views metering: ").append(rss(jvm)).append(" MiB\n");
        long cpu0 = cpuTicks(jvm);
        long t0 = System.nanoTime();
        Thread.sleep(10_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.append(String.format("product: CPU of the whole process with 8 meters: %.1f %% of one core%n",
                (cpuTicks(jvm) - cpu0) / 100.0 / seconds * 100));
        System.out.print(out);
        Files.writeString(Path.of(System.getProperty("user.dir"), "target", "workstation-benchmark.txt"), out);
    }

    private static long rss(ProcessHandle p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** utime + stime of the process in clock ticks (100 per second on Linux). */
    private static long cpuTicks(ProcessHandle p) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static Path root() throws IOException {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("capstan")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IOException("no repository root above " + System.getProperty("user.dir"));
    }

}
