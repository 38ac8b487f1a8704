package io.capstan.product.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A private PipeWire daemon with virtual capture devices, run by {@code tools/pw-sandbox} in a
 * directory of its own. {@link #stop()} stops it.
 */
final class PipeWireSandbox {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path repositoryRoot;
    private final Path directory;
    private final Map<String, String> environment;
    private final Duration startTime;

    private PipeWireSandbox(Path repositoryRoot, Path directory, Map<String, String> environment, Duration startTime) {
        this.repositoryRoot = repositoryRoot;
        this.directory = directory;
        this.environment = environment;
        this.startTime = startTime;
    }

    /** What {@code pw-sandbox check} reports missing, or empty when everything is installed. */
    static Optional<String> missing(Path repositoryRoot) throws IOException, InterruptedException {
        Path script = script(repositoryRoot);
        Command.Result check = Command.run(List.of(script.toString(), "check"), repositoryRoot, Map.of(),
                Duration.ofSeconds(30));
        return check.exitCode() == 0 && !check.timedOut()
                ? Optional.empty()
                : Optional.of((check.stdout() + check.stderr()).strip());
    }

    /**
     * Starts a sandbox in {@code directory}; returns once every source exists and is fed.
     *
     * @param sources {@code pw-sandbox} source options, e.g. {@code --tone capstan-tone:440:0.5}
     */
    static PipeWireSandbox start(Path repositoryRoot, Path directory, List<String> sources)
            throws IOException, InterruptedException {
        Path script = script(repositoryRoot);
        List<String> command = new ArrayList<>(List.of(script.toString(), "start", directory.toString()));
        command.addAll(sources);
        long started = System.nanoTime();
        Command.Result result = Command.run(command, repositoryRoot, Map.of(), START_TIMEOUT);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (result.timedOut() || result.exitCode() != 0) {
            // Whatever was started before the failure must not outlive the test.
            Command.run(List.of(script.toString(), "stop", directory.toString()), repositoryRoot, Map.of(), STOP_TIMEOUT);
            throw new IOException("PipeWire sandbox did not start: " + result.describe());
        }
        return new PipeWireSandbox(repositoryRoot, directory, readEnvironment(directory.resolve("env")), elapsed);
    }

    /** The variables that point a PipeWire client at this sandbox. */
    Map<String, String> environment() {
        return environment;
    }

    /** How long {@code pw-sandbox start} took. */
    Duration startTime() {
        return startTime;
    }

    /** Stops every process of the sandbox and removes its runtime files. */
    void stop() throws IOException, InterruptedException {
        Command.Result result = Command.run(List.of(script(repositoryRoot).toString(), "stop", directory.toString()),
                repositoryRoot, Map.of(), STOP_TIMEOUT);
        if (result.timedOut() || result.exitCode() != 0) {
            throw new IOException("PipeWire sandbox did not stop: " + result.describe());
        }
    }

    private static Path script(Path repositoryRoot) {
        return repositoryRoot.resolve("tools").resolve("pw-sandbox");
    }

    /** Parses the {@code export NAME=VALUE} lines (values quoted by bash {@code printf %q}). */
    static Map<String, String> readEnvironment(Path envFile) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String line : Files.readAllLines(envFile)) {
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith("export ") || !line.contains("=") || line.contains("$'")) {
                throw new IOException(envFile + ": unexpected line: " + line);
            }
            String assignment = line.substring("export ".length());
            int equals = assignment.indexOf('=');
            environment.put(assignment.substring(0, equals), unescape(assignment.substring(equals + 1)));
        }
        return environment;
    }

    private static String unescape(String quoted) {
        StringBuilder value = new StringBuilder(quoted.length());
        for (int i = 0; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length()) {
                c = quoted.charAt(++i);
            }
            value.append(c);
        }
        return value.toString();
    }
}
