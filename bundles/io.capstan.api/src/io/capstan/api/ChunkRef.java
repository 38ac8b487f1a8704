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
 */
public record ChunkRef(int index, String sha256, long firstFrame, long frames, long bytes, Instant sealedAt) {
}
