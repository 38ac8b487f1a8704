package io.capstan.backend.platform.pipewire.internal;

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
 * Compiles the small C programs in this project's {@code c/} directory against the installed
 * libpipewire-0.3/SPA headers and runs them; tests skip, with the packages to install, when gcc
 * or the headers are missing.
 */
final class NativeHeaders {

    private NativeHeaders() {
    }

    /** Compiles {@code c/<name>.c} into {@code dir}; skips the test when the tools are missing. */
    static Path compile(String name, Path dir) throws IOException, InterruptedException {
        Path source = Path.of(System.getProperty("user.dir")).resolve("c").resolve(name + ".c");
        Assumptions.assumeTrue(Files.isRegularFile(source), () -> "no C source " + source);
        Result flags = run(List.of("pkg-config", "--cflags", "libpipewire-0.3"));
        Assumptions.assumeTrue(flags.status == 0, () -> "needs the libpipewire-0.3 headers and pkg-config"
                + " (apt-get install libpipewire-0.3-dev pkg-config): " + flags.output);
        Path exe = dir.resolve(name);
        List<String> gcc = new ArrayList<>(List.of("gcc", "-o", exe.toString(), source.toString()));
        gcc.addAll(List.of(flags.output.trim().split("\\s+")));
        Result built = run(gcc);
        Assumptions.assumeFalse(built.status == 127, "needs gcc (apt-get install gcc)");
        if (built.status != 0) {
            throw new IOException("gcc failed on " + source + ":\n" + built.output);
        }
        return exe;
    }

    /** @return the standard output of a program that must succeed */
    static String output(List<String> command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.status != 0) {
            throw new IOException(command + " exited " + r.status + ":\n" + r.output);
        }
        return r.output;
    }

    /** Parses NAME=VALUE lines. */
    static Map<String, Long> values(String output) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).trim()));
            }
        }
        return map;
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, command.get(0) + " not found: " + e.getMessage());
        }
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " timed out");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
