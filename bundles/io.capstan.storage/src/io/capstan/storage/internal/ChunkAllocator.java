package io.capstan.storage.internal;

import io.capstan.api.AudioFormat;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Creates the staging chunks of one take, one ahead of the writer: the storage thread
 * {@link #prepare}s chunk n+1 while chunk n is written, so that {@link #take} at rotation only
 * hands over the prepared chunk. When the writer gets there first it creates the chunk itself.
 * Thread-safe (the monitor is contended only when the writer overtakes the storage thread).
 */
final class ChunkAllocator {

    private final Path dir;
    private final AudioFormat format;
    private final long capacityFrames;
    private StagingChunk prepared;
    private int taken = -1;
    private boolean closed;

    /**
     * @param dir            the take's staging directory
     * @param capacityFrames frames per chunk
     */
    ChunkAllocator(Path dir, AudioFormat format, long capacityFrames) {
        this.dir = dir;
        this.format = format;
        this.capacityFrames = capacityFrames;
    }

    /** @return the staging file of chunk {@code index}: six digits, {@code 000042.chunk} */
    static String fileName(int index) {
        return String.format("%06d.chunk", index);
    }

    /** @return chunk {@code index}: the prepared one, or a new one when it is not ready */
    synchronized StagingChunk take(int index) throws IOException {
        if (closed) {
            throw new IOException("the take's staging area is closed");
        }
        StagingChunk chunk;
        if (prepared != null && prepared.index() == index) {
            chunk = prepared;
            prepared = null;
        } else {
            chunk = StagingChunk.create(dir.resolve(fileName(index)), index, format, capacityFrames);
        }
        taken = index;
        return chunk;
    }

    /** Creates chunk {@code index} ahead of need, unless the writer has taken it already. */
    synchronized void prepare(int index) throws IOException {
        if (closed || index <= taken || prepared != null) {
            return;
        }
        prepared = StagingChunk.create(dir.resolve(fileName(index)), index, format, capacityFrames);
    }

    /** Drops the prepared chunk, if any (it holds no frames); later calls to {@link #take} fail. */
    synchronized void close() throws IOException {
        closed = true;
        if (prepared != null) {
            prepared.delete();
            prepared = null;
        }
    }
}
