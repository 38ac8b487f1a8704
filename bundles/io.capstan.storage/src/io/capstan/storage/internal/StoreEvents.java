package io.capstan.storage.internal;

import io.capstan.api.CapstanEvents;
import io.capstan.api.ChunkRef;
import io.capstan.api.Take;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import java.util.Map;

/** Posts the store's events (asynchronously; properties are strings and numbers only). */
final class StoreEvents {

    private final EventAdmin eventAdmin;

    StoreEvents(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    /** Posts {@link CapstanEvents#CHUNK_SEALED}. */
    void chunkSealed(String takeId, ChunkRef ref) {
        eventAdmin.postEvent(new Event(CapstanEvents.CHUNK_SEALED, Map.of(
                CapstanEvents.TAKE_ID, takeId,
                CapstanEvents.CHUNK_INDEX, ref.index(),
                CapstanEvents.SHA256, ref.sha256(),
                CapstanEvents.FIRST_FRAME, ref.firstFrame(),
                CapstanEvents.FRAMES, ref.frames())));
    }

    /** Posts {@link CapstanEvents#STORE_LOW_SPACE}. */
    void lowSpace(String takeId, java.nio.file.Path home, long usable, long reserve, long secondsLeft) {
        eventAdmin.postEvent(new Event(CapstanEvents.STORE_LOW_SPACE, Map.of(
                CapstanEvents.TAKE_ID, takeId,
                CapstanEvents.HOME, home.toString(),
                CapstanEvents.USABLE_BYTES, usable,
                CapstanEvents.RESERVE_BYTES, reserve,
                CapstanEvents.SECONDS_LEFT, secondsLeft,
                CapstanEvents.REASON, "the store " + home + " has " + io.capstan.api.StoreHealth.bytes(usable) + " free: the takes"
                        + " recording reach its reserve of " + io.capstan.api.StoreHealth.bytes(reserve) + " in about "
                        + io.capstan.api.StoreHealth.duration(secondsLeft) + ", and then end")));
    }

    /** Posts {@link CapstanEvents#TAKE_RECOVERED}. */
    void takeDeleted(Take take) {
        eventAdmin.postEvent(new Event(CapstanEvents.TAKE_DELETED, Map.of(
                CapstanEvents.TAKE_ID, take.id(),
                CapstanEvents.FRAMES, take.frames(),
                CapstanEvents.CHUNKS, take.chunks().size())));
    }

    void garbageCollected(java.nio.file.Path home, io.capstan.api.GarbageReport report) {
        eventAdmin.postEvent(new Event(CapstanEvents.STORE_COLLECTED, Map.of(
                CapstanEvents.HOME, home.toString(),
                CapstanEvents.OBJECTS_DELETED, report.deleted(),
                CapstanEvents.BYTES_FREED, report.bytesFreed())));
    }

    void takeRecovered(Take take) {
        eventAdmin.postEvent(new Event(CapstanEvents.TAKE_RECOVERED, Map.of(
                CapstanEvents.TAKE_ID, take.id(),
                CapstanEvents.FRAMES, take.frames(),
                CapstanEvents.CHUNKS, take.chunks().size(),
                CapstanEvents.REASON, take.reason() == null ? "" : take.reason())));
    }
}
