package io.capstan.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Content-addressed store of takes. Layout under {@link #home()} (see docs/STORAGE.md):
 * {@code staging/<take>/<seq>.chunk} while written, {@code objects/ab/cdef…} once sealed
 * (SHA-256 of the PCM), {@code takes/<take>.json} manifests. Thread-safe.
 */
public interface ChunkStore {

    /** @return the store's root directory ({@code $CAPSTAN_HOME}) */
    Path home();

    /**
     * Starts a new take: allocates its first staging chunk and writes its manifest (state
     * RECORDING).
     *
     * @throws StorageException when the store cannot record now (read-only, not writable, or its
     *                          disk at the free-space reserve): the message says why, with the
     *                          figures and what to do, as {@link #health()} does
     */
    TakeWriter begin(Device device, AudioFormat format) throws StorageException;

    /**
     * Whether takes can start, and the disk's space. Cheap (one {@code statvfs}); safe to poll.
     *
     * @return the store's health now; {@link StoreHealth#UNKNOWN} where an implementation cannot tell
     */
    default StoreHealth health() {
        return StoreHealth.UNKNOWN;
    }

    /** @return every take, oldest first */
    List<Take> takes() throws StorageException;

    /** @return the take with this id */
    Optional<Take> take(String takeId) throws StorageException;

    /**
     * Writes a take as a WAV file: RIFF/WAVE up to 4 GiB of data, RF64 (EBU Tech 3306) above.
     * The file is written under a temporary name and renamed when complete.
     *
     * @param progress called with bytes done and bytes in all; returning false cancels (no file
     *                 is left behind)
     * @throws UnknownTakeException when no take has this id
     */
    ExportResult export(String takeId, Path file, ProgressListener progress) throws StorageException;

    /**
     * Recomputes the SHA-256 of every chunk of the given take, or of all takes when
     * {@code takeId} is null, and reports the ones that do not match.
     */
    VerifyReport verify(String takeId, ProgressListener progress) throws StorageException;

    /**
     * Removes a take from the store: its staging (anything recovery left), then its manifest.
     * Its objects stay until {@link #collectGarbage} (another take may hold the same content).
     * A crash in between leaves the manifest, so the take is still listed and can be removed
     * again; nothing that another take refers to is touched.
     *
     * @return the take as it was
     * @throws UnknownTakeException when no take has this id
     * @throws TakeRecordingException when the take is recording (stop it first)
     * @throws StorageException       when the files cannot be removed
     */
    default Take delete(String takeId) throws StorageException {
        throw new StorageException("this store cannot remove takes");
    }

    /**
     * Deletes the objects that no manifest and no recording take's chunk log refers to. Safe
     * while takes record: a chunk sealed while it runs is kept, and so is any unreferenced object
     * younger than {@code graceSeconds} (another process sharing the store may have stored it and
     * not yet written its reference). Objects are deleted one by one, so a crash in the middle
     * leaves a store in which every reference still resolves.
     *
     * @param graceSeconds unreferenced objects modified more recently than this are kept (0: none)
     * @param progress     objects examined of all objects; returning false stops (what is deleted stays deleted)
     */
    default GarbageReport collectGarbage(long graceSeconds, ProgressListener progress) throws StorageException {
        throw new StorageException("this store cannot collect garbage");
    }

    /**
     * Sets the free-text note of a finished take, kept in its manifest.
     *
     * @param note the text (at most {@value #MAX_NOTE_CHARS} characters); null or blank removes the note
     * @return the take with its note
     * @throws UnknownTakeException     when no take has this id
     * @throws TakeRecordingException   when the take is recording (note it once it ended)
     * @throws StorageException         when the manifest cannot be written
     * @throws IllegalArgumentException when the note is longer than {@value #MAX_NOTE_CHARS} characters
     */
    default Take note(String takeId, String note) throws StorageException {
        throw new StorageException("this store cannot keep notes");
    }

    /** The longest note {@link #note} keeps, in characters. */
    int MAX_NOTE_CHARS = 4096;
}
