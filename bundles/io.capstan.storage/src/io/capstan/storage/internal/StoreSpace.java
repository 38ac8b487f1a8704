package io.capstan.storage.internal;

import java.io.File;

/**
 * The free space of a store's file system and the reserve that takes leave free.
 *
 * <p>A new take is refused while the usable space is at or below the reserve plus what its first
 * chunks need, and a running take ends when a seal leaves less than the reserve plus one more
 * chunk, so that the take's last chunk can still be sealed and its manifest written: a take ends
 * at the reserve with a reason, not at ENOSPC.
 *
 * <p>Figures come from {@code statvfs(3)} through {@link File#getUsableSpace()}: one system call,
 * nothing allocated, cheap enough for every seal. Thread-safe.
 */
final class StoreSpace {

    /** The reserve when none is configured: 256 MiB or 1 % of the file system, whichever is smaller. */
    static final long DEFAULT_RESERVE_CAP = 256L << 20;

    private final File home;
    private final long reserveSetting;
    private final long warningSeconds;

    /**
     * @param home           the store's root directory
     * @param reserveBytes   bytes to leave free; negative for the default (see {@link #reserve})
     * @param warningSeconds how far ahead, in seconds of recording, a take warns that it will reach the reserve
     */
    StoreSpace(java.nio.file.Path home, long reserveBytes, long warningSeconds) {
        this.home = home.toFile();
        this.reserveSetting = reserveBytes;
        this.warningSeconds = Math.max(0, warningSeconds);
    }

    /** @return bytes this process may still write on the store's file system (0 when the store is unreachable) */
    long usable() {
        return home.getUsableSpace();
    }

    /** @return the file system's size in bytes (0 when the store is unreachable) */
    long total() {
        return home.getTotalSpace();
    }

    /** @return bytes to leave free: the setting, or 256 MiB or 1 % of the file system, whichever is smaller */
    long reserve() {
        return reserveSetting >= 0 ? reserveSetting : Math.min(DEFAULT_RESERVE_CAP, total() / 100);
    }

    /** @return seconds of recording ahead of the reserve below which a running take warns */
    long warningSeconds() {
        return warningSeconds;
    }

    /** @return what the store's disk holds now, for messages: "12 MiB free of 6 GiB, reserve 256 MiB" */
    String describe() {
        return new io.capstan.api.StoreHealth(usable(), total(), reserve(), null, java.util.List.of()).describeSpace();
    }
}
