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
 */
public record StoreHealth(long usableBytes, long totalBytes, long reserveBytes, String recordingProblem,
        List<String> warnings) {

    /** A store that reports nothing about its space (implementations that predate this record). */
    public static final StoreHealth UNKNOWN = new StoreHealth(-1, -1, 0, null, List.of());

    public StoreHealth {
        warnings = List.copyOf(warnings);
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
