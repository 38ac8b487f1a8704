package io.capstan.api;

/**
 * Level meters for devices, whether or not they are being recorded. The captured stream is
 * metered off the capture thread: the capture thread only copies samples into a ring. Thread-safe.
 */
public interface MeteringService {

    /**
     * Starts metering a device (or joins metering already running for it).
     *
     * @throws DeviceNotFoundException when no device has this id
     */
    LevelTap tap(String deviceId) throws CapstanException;
}
