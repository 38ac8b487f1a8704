package io.capstan.api;

/**
 * OSGi EventAdmin topics and property keys Capstan posts. Properties hold strings and numbers
 * only, so every subscriber (UI, console, daemon stream) can forward them as they are.
 */
public final class CapstanEvents {

    /** A device appeared. Properties: {@link #DEVICE_ID}, {@link #DESCRIPTION}, {@link #BACKEND}. */
    public static final String DEVICE_ADDED = "capstan/device/ADDED";
    /** A device went away. Properties as {@link #DEVICE_ADDED}. */
    public static final String DEVICE_REMOVED = "capstan/device/REMOVED";
    /**
     * The device that {@code default} names changed (the user picked another default source, or
     * the default one came or went). Properties: {@link #DEVICE_ID}, {@link #DESCRIPTION},
     * {@link #BACKEND} of the new default; none when no present device is the default.
     */
    public static final String DEVICE_DEFAULT = "capstan/device/DEFAULT";
    /** A take started. Properties: {@link #TAKE_ID}, {@link #DEVICE_ID}, {@link #FORMAT}. */
    public static final String TAKE_STARTED = "capstan/take/STARTED";
    /** A take ended normally. Properties: {@link #TAKE_ID}, {@link #FRAMES}, {@link #CHUNKS}, {@link #REASON}. */
    public static final String TAKE_STOPPED = "capstan/take/STOPPED";
    /** A take failed. Properties as {@link #TAKE_STOPPED}; {@link #REASON} is the error. */
    public static final String TAKE_FAILED = "capstan/take/FAILED";
    /** A take left by a killed process was recovered at start. Properties as {@link #TAKE_STOPPED}. */
    public static final String TAKE_RECOVERED = "capstan/take/RECOVERED";
    /**
     * The store's disk will reach its free-space reserve soon at the data rate of the takes
     * recording; posted once per take when it first foresees that. Properties: {@link #TAKE_ID},
     * {@link #HOME}, {@link #USABLE_BYTES}, {@link #RESERVE_BYTES}, {@link #SECONDS_LEFT} (whole
     * seconds of recording until the reserve; the take then ends), {@link #REASON} (a sentence for people).
     */
    public static final String STORE_LOW_SPACE = "capstan/store/LOW_SPACE";
    /** A chunk was sealed. Properties: {@link #TAKE_ID}, {@link #CHUNK_INDEX}, {@link #SHA256}, {@link #FIRST_FRAME}, {@link #FRAMES}. */
    public static final String CHUNK_SEALED = "capstan/chunk/SEALED";
    /**
     * Levels of a recording take since the previous level event, posted every configured
     * interval (opt-in: configuration {@code io.capstan.capture}, {@code levelIntervalMillis}).
     * Properties: {@link #TAKE_ID}, {@link #FRAMES} metered since the take started, {@link #CHANNELS}, and per channel
     * {@code c} (0-based) {@code peak.c} and {@code rms.c}, full scale = 1.0.
     */
    public static final String LEVEL = "capstan/level/UPDATE";
    /**
     * A client asked the application that serves the control socket to stop ({@code capstan stop})
     * and its running takes were stopped and sealed: a workstation closes its window on it.
     */
    public static final String APP_STOP = "capstan/app/STOP";
    /** Prefix matching every Capstan topic. */
    public static final String ALL = "capstan/*";
    /**
     * Audio of a take was dropped because its buffer was full (native backends; the pw-record
     * sidecar cannot detect overruns). Properties: {@link #TAKE_ID}, {@link #FIRST_FRAME} (frames
     * stored before the gap), {@link #FRAMES} (length of the gap).
     */
    public static final String TAKE_OVERRUN = "capstan/take/OVERRUN";
    /** The audio system skipped cycles during a take. Properties as {@link #TAKE_OVERRUN}. */
    public static final String TAKE_XRUN = "capstan/take/XRUN";
    /**
     * A take was removed from the store ({@link ChunkStore#delete}); its objects stay until a
     * garbage collection. Properties: {@link #TAKE_ID}, {@link #FRAMES}, {@link #CHUNKS}.
     */
    public static final String TAKE_DELETED = "capstan/take/DELETED";
    /**
     * A garbage collection of the store ended ({@link ChunkStore#collectGarbage}). Properties:
     * {@link #HOME}, {@link #OBJECTS_DELETED}, {@link #BYTES_FREED}.
     */
    public static final String STORE_COLLECTED = "capstan/store/COLLECTED";

    public static final String DEVICE_ID = "device.id";
    public static final String DESCRIPTION = "description";
    public static final String BACKEND = "backend";
    public static final String TAKE_ID = "take.id";
    public static final String FORMAT = "format";
    public static final String FRAMES = "frames";
    public static final String CHUNKS = "chunks";
    public static final String CHUNK_INDEX = "chunk.index";
    public static final String SHA256 = "sha256";
    public static final String FIRST_FRAME = "first.frame";
    public static final String REASON = "reason";
    /** The store's root directory (a string). */
    public static final String HOME = "home";
    /** Bytes still writable on the store's disk (a long). */
    public static final String USABLE_BYTES = "usable.bytes";
    /** The store's free-space reserve in bytes (a long). */
    public static final String RESERVE_BYTES = "reserve.bytes";
    /** Whole seconds of recording left before the reserve (a long). */
    public static final String SECONDS_LEFT = "seconds.left";
    public static final String CHANNELS = "channels";
    /** Objects a garbage collection deleted (a long). */
    public static final String OBJECTS_DELETED = "objects.deleted";
    /** Bytes a garbage collection freed (a long). */
    public static final String BYTES_FREED = "bytes.freed";
    /** Prefix of the per-channel peak property of {@link #LEVEL}: {@code peak.0}, {@code peak.1}, … */
    public static final String PEAK = "peak";
    /** Prefix of the per-channel RMS property of {@link #LEVEL}: {@code rms.0}, {@code rms.1}, … */
    public static final String RMS = "rms";

    private CapstanEvents() {
    }
}
