package io.capstan.api;

import java.util.List;

/**
 * Whether a {@link ChunkStore} can record now, and its disk's space. A store that cannot record
 * still lists, exports and verifies what it holds.
 *
 * @param usableBytes      bytes this process may still write on the store's file system (0 when
 *                         the store cannot be reached)
 * @param totalBytes       the file system's size in bytes
 * @param reserveBytes     bytes takes leave free: a new take is refused at or below it, a running
 *                         take ends at it
 * @param recordingProblem why no take can start now (read-only or unwritable store, space at the
 *                         reserve), with what to do; null when takes can start
 * @param warnings         what else the user should know (staging that recovery could not finish
 *                         and retries at the next start); empty when none
 * @param lowSpaceSeconds  seconds of recording ahead of the reserve below which the space is low
 *                         ({@link #lowSpace}): the store's warning setting
 */
public record StoreHealth(long usableBytes, long totalBytes, long reserveBytes, String recordingProblem,
        List<String> warnings, long lowSpaceSeconds) {

    /** The low-space warning of a store that does not set one: ten minutes of recording ahead of the reserve. */
    public static final long DEFAULT_LOW_SPACE_SECONDS = 600;

    /** A store that reports nothing about its space (implementations that predate this record). */
    public static final StoreHealth UNKNOWN = new StoreHealth(-1, -1, 0, null, List.of());

    public StoreHealth {
        warnings = List.copyOf(warnings);
    }

    /** A health with the default low-space warning ({@link #DEFAULT_LOW_SPACE_SECONDS}). */
    public StoreHealth(long usableBytes, long totalBytes, long reserveBytes, String recordingProblem,
            List<String> warnings) {
        this(usableBytes, totalBytes, reserveBytes, recordingProblem, warnings, DEFAULT_LOW_SPACE_SECONDS);
    }

    /**
     * @param bytesPerSecond the data rate of the takes recording
     * @return whole seconds of recording at that rate until the reserve ({@link Long#MAX_VALUE} at
     *         rate 0 or when the space is not reported)
     */
    public long secondsLeft(long bytesPerSecond) {
        return bytesPerSecond <= 0 || totalBytes < 0 ? Long.MAX_VALUE
                : secondsLeft(usableBytes, reserveBytes, bytesPerSecond);
    }

    /**
     * @return whole seconds of recording at {@code bytesPerSecond} until {@code usableBytes} reach
     *         {@code reserveBytes} ({@link Long#MAX_VALUE} at rate 0; 0 at or below the reserve)
     */
    public static long secondsLeft(long usableBytes, long reserveBytes, long bytesPerSecond) {
        long room = usableBytes - reserveBytes;
        if (room <= 0) {
            return 0;
        }
        return bytesPerSecond <= 0 ? Long.MAX_VALUE : room / bytesPerSecond;
    }

    /** @return whether takes recording at {@code bytesPerSecond} reach the reserve within {@link #lowSpaceSeconds} */
    public boolean lowSpace(long bytesPerSecond) {
        return secondsLeft(bytesPerSecond) < lowSpaceSeconds;
    }

    /** @return a duration for people: "52 min 10 s", "1 h 4 min" */
    public static String duration(long seconds) {
        return seconds >= 3600 ? seconds / 3600 + " h " + seconds % 3600 / 60 + " min"
                : seconds / 60 + " min " + seconds % 60 + " s";
    }

    /** @return true when a take can start */
    public boolean canRecord() {
        return recordingProblem == null;
    }

    /** @return the space for people: "12 GiB free of 100 GiB, reserve 256 MiB" ("unknown" when not reported) */
    public String describeSpace() {
        if (totalBytes < 0) {
            return "space unknown";
        }
        return bytes(usableBytes) + " free of " + bytes(totalBytes) + ", reserve " + bytes(reserveBytes);
    }

    /** @return a byte count for people, in binary units: "0 bytes", "512 KiB", "1.5 GiB" */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v >= 100 || v == Math.rint(v) ? Long.toString(Math.round(v))
                : String.format(java.util.Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
