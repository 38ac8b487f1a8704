package io.capstan.storage.internal;

import io.capstan.api.StorageException;
import io.capstan.api.StoreHealth;

/**
 * The free-space checks of one take, after each of its seals: the take ends when the store's disk
 * is at the reserve (with room left for the last chunk's seal and the manifest), and warns once
 * ({@code capstan/store/LOW_SPACE}) when the takes recording will reach it within the store's
 * warning time. One {@code statvfs} per check; allocates only when it acts.
 *
 * <p>Threading: the take's storage thread only.
 */
final class ReserveWatch {

    private final FileTakeWriter.Space space;
    /** The store's reserve in bytes, read once when the take begins. */
    private final long reserveBytes;
    /** Bytes of one full chunk: what the last seal still needs when the take ends. */
    private final long chunkBytes;
    private final StoreEvents events;
    private final String takeId;
    /** Whether the warning was posted for this take. */
    private boolean warned;

    ReserveWatch(FileTakeWriter.Space space, long chunkBytes, StoreEvents events, String takeId) {
        this.space = space;
        this.reserveBytes = space.store().reserve();
        this.chunkBytes = chunkBytes;
        this.events = events;
        this.takeId = takeId;
    }

    /** @return why the take ends now, at the reserve; null while it may go on */
    StorageException afterSeal() {
        long usable = space.store().usable() - chunkBytes;
        if (usable <= reserveBytes) {
            return new StorageException("the take ended at the free-space reserve of its store " + space.home() + " ("
                    + space.store().describe() + "); every frame up to then is sealed. Free space on that disk (delete"
                    + " or move takes), choose another store ($CAPSTAN_HOME), or lower 'reserveBytes' of configuration "
                    + StorageConfig.PID);
        }
        if (!warned) {
            long seconds = StoreHealth.secondsLeft(usable, reserveBytes, space.recordingRate().get());
            if (seconds <= space.store().warningSeconds()) {
                warned = true;
                events.lowSpace(takeId, space.home(), usable + chunkBytes, reserveBytes, seconds);
            }
        }
        return null;
    }
}
