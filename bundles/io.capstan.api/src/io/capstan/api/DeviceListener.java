package io.capstan.api;

/**
 * Told by a {@link CaptureBackend} that its device list changed. Called on the backend's own
 * thread (never the real-time thread); implementations return quickly.
 */
@FunctionalInterface
public interface DeviceListener {

    /** The list returned by {@code backend.devices()} may have changed. */
    void devicesChanged(CaptureBackend backend);
}
