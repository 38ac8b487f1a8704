package io.capstan.test.pipewire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs the system's commands for the test helpers here (mount, losetup, mkfs). */
final class Shell {

    private Shell() {
    }

    /**
     * Runs {@code command} to its end (at most 60 s), standard error merged into its output.
     *
     * @param check whether a non-zero exit status throws
     * @return what it printed
     */
    static String run(boolean check, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within 60 s");
        }
        if (check && p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }
}
