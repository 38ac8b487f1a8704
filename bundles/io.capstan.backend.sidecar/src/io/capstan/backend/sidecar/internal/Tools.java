package io.capstan.backend.sidecar.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Finding helper programs on the PATH and running short ones with a bound. */
final class Tools {

    private Tools() {
    }

    /** @return the executable named {@code name} on {@code $PATH}, if any */
    static Optional<Path> which(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a command and returns its standard output.
     *
     * @throws IOException naming the command, its exit status and its standard error when it
     *                     fails or does not finish within {@code timeout}
     */
    static String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command), timeout);
    }

    /** As {@link #run(List, Duration)}, with the caller's process builder (environment, directory). */
    static String run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        List<String> command = builder.command();
        Process p = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within " + timeout.toMillis() + " ms");
        }
        String stdout = out.join();
        if (p.exitValue() != 0) {
            String stderr = err.join().strip();
            throw new IOException(command.get(0) + " exited with status " + p.exitValue()
                    + (stderr.isEmpty() ? "" : ": " + lastLine(stderr)));
        }
        return stdout;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String lastLine(String text) {
        String[] lines = text.split("\n");
        return lines[lines.length - 1].strip();
    }
}
