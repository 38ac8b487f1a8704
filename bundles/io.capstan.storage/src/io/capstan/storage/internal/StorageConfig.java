package io.capstan.storage.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the chunk store, PID {@code io.capstan.storage}. */
@ObjectClassDefinition(pid = StorageConfig.PID, name = "Capstan storage",
        description = "Where takes are stored and how large their chunks are")
public @interface StorageConfig {

    /** Configuration PID. */
    String PID = "io.capstan.storage";

    /** @return the store's root directory; empty for $CAPSTAN_HOME, else $XDG_DATA_HOME/capstan, else ~/.local/share/capstan */
    @AttributeDefinition(name = "Home", required = false,
            description = "Root directory of the store; empty for $CAPSTAN_HOME, else $XDG_DATA_HOME/capstan, else ~/.local/share/capstan")
    String home() default "";

    /** @return PCM bytes per chunk, rounded down to whole frames (default 524288 = 512 KiB) */
    @AttributeDefinition(name = "Chunk size", min = "1",
            description = "PCM bytes per chunk, rounded down to whole frames")
    int chunkSize() default StoreSettings.DEFAULT_CHUNK_BYTES;
}
