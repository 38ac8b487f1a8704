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
    /** A take started. Properties: {@link #TAKE_ID}, {@link #DEVICE_ID}, {@link #FORMAT}. */
    public static final String TAKE_STARTED = "capstan/take/STARTED";
    /** A take ended normally. Properties: {@link #TAKE_ID}, {@link #FRAMES}, {@link #CHUNKS}, {@link #REASON}. */
    public static final String TAKE_STOPPED = "capstan/take/STOPPED";
    /** A take failed. Properties as {@link #TAKE_STOPPED}; {@link #REASON} is the error. */
    public static final String TAKE_FAILED = "capstan/take/FAILED";
    /** A take left by a killed process was recovered at start. Properties as {@link #TAKE_STOPPED}. */
    public static final String TAKE_RECOVERED = "capstan/take/RECOVERED";
    /** A chunk was sealed. Properties: {@link #TAKE_ID}, {@link #CHUNK_INDEX}, {@link #SHA256}, {@link #FIRST_FRAME}, {@link #FRAMES}. */
    public static final String CHUNK_SEALED = "capstan/chunk/SEALED";
    /** Prefix matching every Capstan topic. */
    public static final String ALL = "capstan/*";
    /** Audio of a take was dropped because its buffer was full. Properties: {@link #TAKE_ID}, {@link #FIRST_FRAME} (frames stored before the gap), {@link #FRAMES} (length of the gap). */
    public static final String TAKE_OVERRUN = "capstan/take/OVERRUN";
    /** The audio system skipped cycles during a take. Properties as {@link #TAKE_OVERRUN}. */
    public static final String TAKE_XRUN = "capstan/take/XRUN";

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

    private CapstanEvents() {
    }
}
