package io.capstan.test.pipewire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A private PipeWire started by the repository's {@code tools/pw-sandbox} in a directory of the
 * test's; {@link #start} throws an assumption failure (the test is skipped), saying what to
 * install, when PipeWire is absent. Shared by the test bundles that need a real PipeWire.
 */
public final class Sandbox implements AutoCloseable {

    private final Path script;
    private final Path dir;
    private final Map<String, String> env;

    private Sandbox(Path script, Path dir, Map<String, String> env) {
        this.script = script;
        this.dir = dir;
        this.env = env;
    }

    public static Sandbox start(Path dir, String... sources) throws IOException, InterruptedException {
        Path script = repositoryRoot().resolve("tools/pw-sandbox");
        String check = run(List.of(script.toString(), "check"), Map.of());
        Assumptions.assumeTrue(check == null, () -> "needs a private PipeWire: " + check);
        List<String> command = new ArrayList<>(List.of(script.toString(), "start", dir.toString()));
        command.addAll(List.of(sources));
        String failed = run(command, Map.of());
        if (failed != null) {
            run(List.of(script.toString(), "stop", dir.toString()), Map.of());
            throw new IOException("pw-sandbox start failed: " + failed);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("env"))) {
            if (line.startsWith("export ")) {
                String a = line.substring(7);
                env.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1).replace("\\", ""));
            }
        }
        return new Sandbox(script, dir, env);
    }

    /** @return the environment that points PipeWire clients at this daemon (XDG_RUNTIME_DIR, ...) */
    public Map<String, String> environment() {
        return Map.copyOf(env);
    }

    /** @return the absolute path of the daemon's socket, for {@code remote.name} */
    public String socket() {
        return dir.resolve("runtime/pipewire-0").toString();
    }

    /** Runs a PipeWire tool (pw-cli, pw-metadata) against this daemon; fails on a non-zero exit. */
    public void tool(String... command) throws IOException, InterruptedException {
        String failed = run(List.of(command), env);
        if (failed != null) {
            throw new IOException(failed);
        }
    }

    /** Starts a long-running command (a feeder) against this daemon; the caller destroys it. */
    public Process spawn(String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** @return the standard output of a PipeWire tool run against this daemon */
    public String output(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Makes a virtual stereo 48 kHz source (not fed). */
    public void createSource(String name) throws IOException, InterruptedException {
        tool("pw-cli", "create-node", "adapter", "{ factory.name=support.null-audio-sink node.name=" + name
                + " node.description=\"Hot-plug " + name + "\" media.class=Audio/Source/Virtual audio.position=[FL FR]"
                + " audio.channels=2 audio.rate=48000 object.linger=true }");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String failed = run(List.of(script.toString(), "stop", dir.toString()), Map.of());
        if (failed != null) {
            throw new IOException("pw-sandbox stop failed: " + failed);
        }
    }

    /** @return null on success, else the command and its output */
    private static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return command + " timed out";
        }
        return p.exitValue() == 0 ? null
                : command + " exited " + p.exitValue() + ": " + new String(out, StandardCharsets.UTF_8).strip();
    }

    private static Path repositoryRoot() throws IOException {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("tools/pw-sandbox"))) {
                return d;
            }
        }
        throw new IOException("no tools/pw-sandbox above " + System.getProperty("user.dir"));
    }
}
