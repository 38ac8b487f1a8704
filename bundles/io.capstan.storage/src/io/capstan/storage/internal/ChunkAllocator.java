package io.capstan.storage.internal;

import io.capstan.api.AudioFormat;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Creates the staging chunks of one take, one ahead of the writer: the storage thread
 * {@link #prepare}s chunk n+1 while chunk n is written, so that {@link #take} at rotation only
 * hands over the prepared chunk. When the writer gets there first it creates the chunk itself.
 * A sealed chunk is handed back ({@link #recycle}) and becomes the next chunk prepared, so a take
 * keeps two staging files and two mappings however long it runs, instead of zero-filling and
 * mapping a new file for every chunk (and unmapping the old one when the collector finds it).
 * Thread-safe (the monitor is contended only when the writer overtakes the storage thread).
 */
final class ChunkAllocator {

    private final Path dir;
    private final AudioFormat format;
    private final long capacityFrames;
    private StagingChunk prepared;
    /** A sealed chunk to be reused as the next one prepared. */
    private StagingChunk spare;
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
        String digits = Integer.toString(index); // not String.format: it runs interpreted, once per chunk
        return "000000".substring(Math.min(6, digits.length())) + digits + ".chunk";
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
            chunk = make(index);
        }
        taken = index;
        return chunk;
    }

    /** Makes chunk {@code index} ahead of need, unless the writer has taken it already. */
    synchronized void prepare(int index) throws IOException {
        if (closed || index <= taken || prepared != null) {
            return;
        }
        prepared = make(index);
    }

    /**
     * Takes back a chunk whose data is sealed, to be reused as the next chunk made; deleted when
     * one is kept already or the allocator is closed. Storage thread, after the seal.
     */
    synchronized void recycle(StagingChunk sealed) throws IOException {
        if (closed || spare != null) {
            sealed.delete();
        } else {
            spare = sealed;
        }
    }

    private StagingChunk make(int index) throws IOException {
        Path file = dir.resolve(fileName(index));
        StagingChunk s = spare;
        if (s == null) {
            return StagingChunk.create(file, index, format, capacityFrames);
        }
        spare = null;
        try {
            return s.reuse(file, index);
        } catch (IOException e) {
            s.delete(); // its frames are sealed; a new file is made instead
            return StagingChunk.create(file, index, format, capacityFrames);
        }
    }

    /** Drops the prepared and the spare chunk, if any (they hold no frames); later calls to {@link #take} fail. */
    synchronized void close() throws IOException {
        closed = true;
        if (prepared != null) {
            prepared.delete();
            prepared = null;
        }
        if (spare != null) {
            spare.delete();
            spare = null;
        }
    }
}
