package io.capstan.product.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an external command to completion within a time limit, capturing its output. */
final class Command {

    /**
     * How a command ended.
     *
     * @param timedOut whether it was killed for exceeding its time limit ({@code exitCode} is
     *     then that of the killed process)
     */
    record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {

        /** Everything needed to understand a failure, for assertion messages. */
        String describe() {
            return String.join(" ", command) + (timedOut ? " timed out" : " exited " + exitCode)
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    private Command() {}

    /**
     * Runs {@code command} in {@code directory} with the current environment plus
     * {@code environment}; output goes to files, so a chatty command cannot block on a full pipe.
     */
    static Result run(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("capstan-test-", ".out");
        Path stderr = Files.createTempFile("capstan-test-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return new Result(command, finished ? process.exitValue() : -1, !finished,
                    Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
