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

    /** @return bytes a take leaves free on the store's disk; negative for 256 MiB or 1 % of the disk, whichever is smaller */
    @AttributeDefinition(name = "Free-space reserve",
            description = "Bytes left free on the store's disk: a new take is refused below it and a running take "
                    + "ends at it; negative (the default) for 256 MiB or 1 % of the disk, whichever is smaller")
    long reserveBytes() default -1;

    /** @return seconds of recording ahead of the reserve at which a running take warns (capstan/store/LOW_SPACE) */
    @AttributeDefinition(name = "Low-space warning", min = "0",
            description = "A running take posts capstan/store/LOW_SPACE when, at the data rate of every take "
                    + "recording, it will reach the free-space reserve within this many seconds")
    long lowSpaceWarningSeconds() default StoreSettings.DEFAULT_WARNING_SECONDS;
}
