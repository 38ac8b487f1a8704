package io.capstan.daemon.internal;

import java.io.IOException;
import java.nio.file.Path;

import io.capstan.transport.fifo.RuntimeDirectories;

/** Where the daemon's files live: the configured directory, or the shared runtime directory. */
final class RuntimeFiles {

    private RuntimeFiles() {
    }

    /** @return the runtime directory, created (0700) or checked */
    static Path directory(DaemonConfig config) throws IOException {
        if (config.runtimeDir() != null && !config.runtimeDir().isBlank()) {
            return Path.of(config.runtimeDir());
        }
        return RuntimeDirectories.prepare();
    }
}
