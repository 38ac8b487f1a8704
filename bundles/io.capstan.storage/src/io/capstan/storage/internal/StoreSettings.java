package io.capstan.storage.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * Resolved settings of a store.
 *
 * @param home       root directory ({@code $CAPSTAN_HOME})
 * @param chunkBytes PCM bytes per chunk before rounding down to whole frames (at least 1)
 * @param riffLimit  largest RIFF size, in bytes, exported as plain RIFF/WAVE; above it RF64 is
 *                   written. {@link WavWriter#RIFF_LIMIT} except in tests
 * @param reserveBytes   bytes left free on the store's disk; negative for the default ({@link StoreSpace#reserve})
 * @param warningSeconds seconds of recording ahead of the reserve at which a take warns
 */
record StoreSettings(Path home, int chunkBytes, long riffLimit, long reserveBytes, long warningSeconds) {

    /** Default chunk size: 512 KiB of PCM. */
    static final int DEFAULT_CHUNK_BYTES = 512 * 1024;
    /** Default low-space warning: ten minutes of recording ahead of the reserve. */
    static final long DEFAULT_WARNING_SECONDS = 600;

    /** Settings with the default reserve and warning. */
    StoreSettings(Path home, int chunkBytes, long riffLimit) {
        this(home, chunkBytes, riffLimit, -1, DEFAULT_WARNING_SECONDS);
    }

    StoreSettings {
        if (home == null) {
            throw new IllegalArgumentException("a storage home directory is required");
        }
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 byte, was " + chunkBytes);
        }
        if (riffLimit < 64) {
            throw new IllegalArgumentException("RIFF limit must leave room for a header, was " + riffLimit);
        }
        if (warningSeconds < 0) {
            throw new IllegalArgumentException("the low-space warning must be 0 or more seconds, was " + warningSeconds);
        }
        home = home.toAbsolutePath().normalize();
    }

    /**
     * The home directory to use: {@code configured} when not blank, else {@code $CAPSTAN_HOME}
     * when set, else {@code $XDG_DATA_HOME/capstan} when that is an absolute path, else
     * {@code <userHome>/.local/share/capstan}.
     */
    static Path resolveHome(String configured, Map<String, String> env, String userHome) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String capstanHome = env.get("CAPSTAN_HOME");
        if (capstanHome != null && !capstanHome.isBlank()) {
            return Path.of(capstanHome);
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "capstan");
        }
        return Path.of(userHome, ".local", "share", "capstan");
    }
}
