package io.capstan.storage.internal;

import io.capstan.api.ChunkStore;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import java.nio.file.Path;

/** A real, empty store for fuzz targets outside this package. */
public final class FuzzStores {

    private FuzzStores() {
    }

    /** @return a store in {@code home} whose events go nowhere */
    public static ChunkStore empty(Path home) {
        return new FileChunkStore(new EventAdmin() {
            @Override
            public void postEvent(Event event) {
            }

            @Override
            public void sendEvent(Event event) {
            }
        }, new StoreSettings(home, StoreSettings.DEFAULT_CHUNK_BYTES, WavWriter.RIFF_LIMIT));
    }
}
