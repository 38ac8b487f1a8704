package io.capstan.api;

import java.nio.ByteBuffer;

/**
 * Writes the PCM of one take into the chunk store: staging chunks, rotated when full, sealed
 * in the background. Created by {@link ChunkStore#begin}.
 *
 * <p>Threading: {@link #write} from one capture thread; the other methods from any thread.
 */
public interface TakeWriter {

    /** @return the take id */
    String takeId();

    /**
     * Copies all remaining bytes of {@code frames} (whole frames) into the take and advances its
     * position. Rotates to the next chunk when one is full; sealing happens on a storage thread.
     *
     * @throws StorageException when the staging chunk cannot be written (disk full, ...)
     */
    void write(ByteBuffer frames) throws StorageException;

    /** @return frames written so far */
    long frames();

    /** @return chunks sealed so far */
    int chunksSealed();

    /**
     * Seals the last partial chunk, waits for every seal, and writes the final manifest.
     *
     * @param state  COMPLETE or FAILED
     * @param reason why the take ended
     * @return the final take
     */
    Take finish(TakeState state, String reason) throws StorageException;

    /**
     * As {@link #finish(TakeState, String)}, storing {@code statistics} in the manifest (frames,
     * bytes and chunks are replaced by what was stored). Implementations that keep no statistics
     * ignore them.
     *
     * @param statistics what the capture counted, or null
     */
    default Take finish(TakeState state, String reason, TakeStatistics statistics) throws StorageException {
        return finish(state, reason);
    }
}
