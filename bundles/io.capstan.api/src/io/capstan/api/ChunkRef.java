package io.capstan.api;

import java.time.Instant;

/**
 * A sealed chunk of a take, as listed in the take's manifest.
 *
 * @param index      position in the take, from 0
 * @param sha256     content address: lowercase hex SHA-256 of the chunk's PCM bytes
 * @param firstFrame frame offset of the chunk's first frame within the take
 * @param frames     frames in the chunk
 * @param bytes      PCM bytes in the chunk (frames × bytes per frame)
 * @param sealedAt   wall-clock time of sealing
 * @throws IllegalArgumentException when a count is negative or {@code sha256} is not 64 lowercase
 *                                  hex digits (a damaged manifest or chunk log)
 */
public record ChunkRef(int index, String sha256, long firstFrame, long frames, long bytes, Instant sealedAt) {

    public ChunkRef {
        if (index < 0 || firstFrame < 0 || frames < 0 || bytes < 0) {
            throw new IllegalArgumentException("chunk " + index + ": negative index, first frame (" + firstFrame
                    + "), frames (" + frames + ") or bytes (" + bytes + ")");
        }
        if (!isSha256(sha256)) {
            throw new IllegalArgumentException("chunk " + index + ": '" + sha256 + "' is not a lowercase hex SHA-256");
        }
    }

    /** @return true for 64 lowercase hex digits, a content address (a loop, not a regular expression: this runs once per seal) */
    public static boolean isSha256(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}
