package io.capstan.storage.internal;

import io.capstan.api.ChunkRef;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeStatistics;
import io.capstan.api.TakeWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Writes one take into mapped staging chunks and seals full chunks on the take's storage thread
 * ({@code capstan-seal-<take>}): hash, object, a line in the take's {@link ChunkLog}, event, in
 * chunk order; the sealed staging file is then reused for a later chunk. The manifest is written
 * when the take begins and when it finishes, so a seal costs the same whatever the take's length.
 *
 * <p>Threading: {@link #write} from one capture thread; it takes no lock on the way except at a
 * rotation where the next chunk is not prepared yet, and allocates nothing, also at a rotation:
 * the full chunk goes into a lock-free ring ({@link SpscQueue}) and the storage thread is woken
 * by a flag and an unpark ({@link StorageThread#signal}). {@link #finish} once, after the last write.
 */
final class FileTakeWriter implements TakeWriter {

    /**
     * Full chunks that may wait for their seal before a rotation fails (the frames stay in
     * staging): 1024 chunks of 512 KiB, 512 MiB, 23 minutes of 48 kHz stereo F32.
     */
    static final int SEAL_BACKLOG = 1024;

    private final String takeId;
    private final Path stagingDir;
    private final int bytesPerFrame;
    /** Stores the sealed chunks' objects; storage thread only. */
    private final ObjectStore objects;
    private final ObjectStore.Putter putter;
    private final ManifestStore manifests;
    private final StoreEvents events;
    private final Consumer<FileTakeWriter> onClosed;
    private final ChunkAllocator allocator;
    private final StorageThread storage;
    /** Full chunks in order, waiting for their seal: offered by the writer, taken by the storage thread. */
    private final SpscQueue<StagingChunk> toSeal = new SpscQueue<>(SEAL_BACKLOG);
    /** Index of the chunk the storage thread makes ready next. */
    private volatile int prepareIndex;
    private final AtomicInteger sealed = new AtomicInteger();
    private final Object manifestLock = new Object();
    /** The manifest as last written. Guarded by manifestLock. */
    private Take take;
    /** Chunks sealed so far, in order. Guarded by manifestLock. */
    private final List<ChunkRef> chunks = new ArrayList<>();
    private final ChunkLog log;
    /** Frame offset of the next chunk to seal. Storage thread only. */
    private long nextFirstFrame;
    /** The chunk written now. Writer thread only. */
    private StagingChunk current;
    private volatile long frames;
    private volatile boolean closed;
    private volatile StorageException failure;
    /** Set by the storage thread when the store's disk reaches its reserve: the take ends, sealing goes on. */
    private volatile StorageException reserveReached;
    private final Space space;
    /** The reserve and low-space checks after each seal. Storage thread only. */
    private final ReserveWatch reserve;

    /**
     * The store's space as a take sees it.
     *
     * @param store         the disk's figures and the reserve
     * @param recordingRate bytes per second of every take recording into the store
     * @param home          the store's root, for messages
     */
    record Space(StoreSpace store, java.util.concurrent.atomic.AtomicLong recordingRate, Path home) {
    }

    /**
     * Allocates chunk 0 and starts the storage thread, which prepares chunk 1.
     *
     * @param take           the take as its first manifest records it (state RECORDING)
     * @param stagingDir     {@code staging/<take>/}, existing
     * @param capacityFrames frames per chunk
     * @param onClosed       told when the writer finished or was shut down
     */
    FileTakeWriter(Take take, Path stagingDir, long capacityFrames, ObjectStore objects, ManifestStore manifests,
            StoreEvents events, Space space, Consumer<FileTakeWriter> onClosed) throws StorageException {
        this.take = take;
        this.space = space;
        this.reserve = new ReserveWatch(space, capacityFrames * take.format().bytesPerFrame(), events, take.id());
        this.takeId = take.id();
        this.stagingDir = stagingDir;
        this.bytesPerFrame = take.format().bytesPerFrame();
        this.objects = objects;
        this.putter = objects.putter();
        this.manifests = manifests;
        this.events = events;
        this.onClosed = onClosed;
        this.allocator = new ChunkAllocator(stagingDir, take.format(), capacityFrames);
        try {
            this.log = ChunkLog.create(stagingDir);
        } catch (IOException e) {
            throw new StorageException("cannot create the chunk log of take '" + takeId + "' in " + stagingDir + ": "
                    + e.getMessage(), e);
        }
        try {
            this.current = allocator.take(0);
        } catch (IOException e) {
            closeQuietly(log);
            throw new StorageException("cannot allocate the first staging chunk of take '" + takeId + "' in "
                    + stagingDir + ": " + e.getMessage(), e);
        }
        this.storage = new StorageThread("capstan-seal-" + takeId, this::sealAndPrepare,
                e -> failed(new StorageException("the storage thread of take '" + takeId + "' failed: " + e, e)));
        storage.submit(() -> prepare(1)); // not prepareIndex: a rotation may change it before this runs
    }

    @Override
    public String takeId() {
        return takeId;
    }

    @Override
    public void write(ByteBuffer src) throws StorageException {
        if (closed) {
            throw new StorageException("take '" + takeId + "' is finished or its store stopped; no more frames accepted");
        }
        StorageException f = failure;
        if (f != null) {
            throw new StorageException("take '" + takeId + "' cannot store more frames: " + f.getMessage(), f);
        }
        StorageException r = reserveReached;
        if (r != null) {
            throw r; // made once by the storage thread: nothing allocated here
        }
        if (src.remaining() % bytesPerFrame != 0) {
            throw new IllegalArgumentException(src.remaining() + " bytes are not whole frames of " + bytesPerFrame
                    + " bytes");
        }
        long written = 0;
        try {
            while (src.hasRemaining()) {
                written += current.write(src);
                if (current.isFull()) {
                    rotate();
                }
            }
        } finally {
            frames += written; // one writer thread: the volatile publishes the count
        }
    }

    /** Switches to the next chunk (prepared ahead, or made now) and hands the full one to sealing. */
    private void rotate() throws StorageException {
        StagingChunk full = current;
        int next = full.index() + 1;
        try {
            current = allocator.take(next);
        } catch (IOException e) {
            throw new StorageException("cannot allocate staging chunk " + next + " of take '" + takeId + "' ("
                    + FileChunkStore.describe(e) + "). The store " + space.home() + " has " + space.store().describe()
                    + ". Every frame up to then is kept: sealed now, or at the next start if the disk cannot be written"
                    + " then. " + FileChunkStore.advice(e), e);
        }
        if (!toSeal.offer(full)) {
            throw failed(new StorageException("take '" + takeId + "' is " + SEAL_BACKLOG + " chunks behind in sealing"
                    + " (is the disk of " + stagingDir + " stalled?); chunk " + full.index()
                    + " and later stay in staging and are recovered at the next start"));
        }
        prepareIndex = next + 1;
        if (!storage.signal()) {
            throw failed(new StorageException("the store of take '" + takeId + "' stopped; chunk " + full.index()
                    + " stays in staging for recovery"));
        }
    }

    /**
     * Records a failure that leaves chunks unsealed: no later chunk is sealed either (a take's
     * chunks are sealed in order; recovery seals the rest at the next start).
     */
    private StorageException failed(StorageException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /**
     * Storage thread, at a writer's signal: seals the full chunks in order, then makes the chunk
     * after the one being written ready (reusing the file just sealed).
     */
    private void sealAndPrepare() {
        for (StagingChunk full; (full = toSeal.poll()) != null;) {
            seal(full);
        }
        prepare(prepareIndex);
    }

    private void prepare(int index) {
        try {
            allocator.prepare(index);
        } catch (IOException e) {
            // not fatal here: the writer makes the chunk itself at rotation and reports a failure then
            return;
        }
    }

    /**
     * Storage thread: stores the chunk's PCM as an object, appends it to the chunk log (fsynced),
     * hands the staging file back for reuse, posts the event.
     */
    private void seal(StagingChunk chunk) {
        if (failure != null) {
            return; // an earlier chunk failed: keep this one in staging, in order, for recovery
        }
        long stamp = objects.beginSeal(); // no garbage collection between the object and its reference
        String sha = null;
        try {
            sha = putter.put(chunk.data());
            ChunkRef ref = new ChunkRef(chunk.index(), sha, nextFirstFrame, chunk.frames(),
                    chunk.frames() * bytesPerFrame, Instant.now());
            log.append(ref);
            objects.endSeal(stamp, sha);
            stamp = 0;
            synchronized (manifestLock) {
                chunks.add(ref);
            }
            nextFirstFrame += chunk.frames();
            allocator.recycle(chunk);
            sealed.incrementAndGet();
            if (reserveReached == null) {
                reserveReached = reserve.afterSeal();
            }
            events.chunkSealed(takeId, ref); // last: once it is posted, the seal's work is done
        } catch (IOException | RuntimeException e) {
            failure = new StorageException("cannot seal chunk " + chunk.index() + " of take '" + takeId + "' ("
                    + FileChunkStore.describe(e) + "). The store " + space.home() + " has " + space.store().describe()
                    + ". The " + sealed.get() + " chunk(s) sealed before are kept; chunk " + chunk.index()
                    + " and what followed stay in staging and are sealed when Capstan next starts with that disk"
                    + " writable. " + FileChunkStore.advice(e), e);
            Recovery.markFailed(stagingDir, failure.getMessage()); // now, while the failed object's space is free again
        } finally {
            if (stamp != 0) {
                objects.endSeal(stamp, sha);
            }
        }
    }

    private Take with(TakeState state, Instant endedAt, long frameCount, List<ChunkRef> chunks, String reason,
            TakeStatistics statistics) {
        return new Take(take.id(), take.deviceId(), take.description(), take.backend(), take.format(), state,
                take.startedAt(), endedAt, frameCount, chunks, reason, statistics);
    }

    @Override
    public long frames() {
        return frames;
    }

    @Override
    public int chunksSealed() {
        return sealed.get();
    }

    @Override
    public Take finish(TakeState state, String reason) throws StorageException {
        return finish(state, reason, null);
    }

    @Override
    public Take finish(TakeState state, String reason, TakeStatistics statistics) throws StorageException {
        if (state != TakeState.COMPLETE && state != TakeState.FAILED) {
            throw new IllegalArgumentException("a take finishes COMPLETE or FAILED, not " + state);
        }
        if (closed) {
            throw new IllegalStateException("take '" + takeId + "' is finished already or its store stopped");
        }
        closed = true;
        // the reserve counts while frames come in: one reached by the last seal below does not fail a take
        StorageException r = reserveReached;
        StagingChunk last = current;
        try {
            Future<?> done = storage.submit(() -> {
                if (last.frames() > 0) {
                    seal(last);
                } else {
                    deleteEmpty(last);
                }
                closeAllocator();
                closeQuietly(log);
            });
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while sealing take '" + takeId
                    + "'; its staging chunks are recovered at the next start", e);
        } catch (ExecutionException e) {
            throw new StorageException("sealing take '" + takeId + "' failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            storage.shutdown();
            onClosed.accept(this);
        }
        StorageException f = failure;
        boolean keepStaging = f != null;
        if (f != null) {
            state = TakeState.FAILED;
            reason = f.getMessage();
            Recovery.markFailed(stagingDir, reason); // before the manifest: recovery keeps the take FAILED even if that cannot be written
        } else if (r != null) {
            state = TakeState.FAILED;
            reason = r.getMessage();
        }
        Take done;
        synchronized (manifestLock) {
            long sum = chunks.stream().mapToLong(ChunkRef::frames).sum();
            TakeStatistics s = statistics;
            TakeStatistics stored = s == null ? null : new TakeStatistics(s.callbacks(), sum, sum * bytesPerFrame,
                    chunks.size(), s.overruns(), s.overrunFrames(), s.xruns(), s.xrunFrames(),
                    s.longestCallbackNanos(), s.p99CallbackNanos()); // frames, bytes, chunks as stored
            take = with(state, Instant.now(), sum, chunks, reason, stored);
            try {
                manifests.write(take); // every chunk is in the manifest now: the log is no longer needed
            } catch (StorageException e) {
                // the chunk log and the staging stay: recovery writes the manifest at the next start
                if (state == TakeState.FAILED) {
                    Recovery.markFailed(stagingDir, reason);
                }
                throw new StorageException("take '" + takeId + "' ended (" + reason + "), but its manifest could not"
                        + " be written (" + FileChunkStore.describe(e.getCause() != null ? e.getCause() : e)
                        + "); its chunks are kept and it is marked " + (state == TakeState.FAILED ? "FAILED" : "RECOVERED")
                        + " when Capstan next starts with that disk writable. " + FileChunkStore.advice(e.getCause()), e);
            }
            done = take;
        }
        if (keepStaging) {
            return done; // unsealed chunks, the chunk log and the mark stay for recovery
        }
        try {
            Files.deleteIfExists(log.file());
        } catch (IOException e) {
            throw new StorageException("take '" + takeId + "' is finished, but its chunk log " + log.file()
                    + " could not be deleted: " + e.getMessage(), e);
        }
        removeStagingDir();
        return done;
    }

    private static void closeQuietly(ChunkLog log) {
        try {
            log.close();
        } catch (IOException e) {
            // every append was fsynced; closing releases the descriptor only
        }
    }

    private void deleteEmpty(StagingChunk chunk) {
        try {
            chunk.delete();
        } catch (IOException e) {
            failure = new StorageException("cannot delete empty staging chunk " + chunk.file() + ": " + e.getMessage(), e);
        }
    }

    private void closeAllocator() {
        try {
            allocator.close();
        } catch (IOException e) {
            failure = new StorageException("cannot delete the prepared staging chunk of take '" + takeId + "': "
                    + e.getMessage(), e);
        }
    }

    private void removeStagingDir() throws StorageException {
        try {
            Files.deleteIfExists(stagingDir);
            DurableFiles.syncDirectory(stagingDir.getParent());
        } catch (DirectoryNotEmptyException e) {
            throw new StorageException("take '" + takeId + "' is finished, but " + stagingDir
                    + " holds unexpected files; they were left in place", e);
        } catch (IOException e) {
            throw new StorageException("cannot remove " + stagingDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the storage thread after the seals already queued (the store is deactivating). The
     * chunk being written stays in staging and is recovered at the next start; later writes fail.
     *
     * @param timeout how long to wait for the queued seals
     * @return true when they all completed in time
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    boolean shutdown(Duration timeout) throws InterruptedException {
        closed = true;
        storage.shutdown();
        boolean done = storage.awaitTermination(timeout);
        if (done) {
            closeQuietly(log);
        }
        return done;
    }
}
