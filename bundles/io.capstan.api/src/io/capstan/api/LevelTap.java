package io.capstan.api;

/**
 * Live levels of one device, from a {@link MeteringService}. Metering runs until closed.
 * Thread-safe; {@link #levels()} is cheap and meant to be polled (e.g. 20 to 60 times a second).
 */
public interface LevelTap extends AutoCloseable {

    /** @return the device metered */
    Device device();

    /** @return the levels now */
    Levels levels();

    /** @return why metering stopped or never ran (the backend's message), or null while it runs */
    String problem();

    /** Stops metering this device for this caller. Calling it again does nothing. */
    @Override
    void close();
}
