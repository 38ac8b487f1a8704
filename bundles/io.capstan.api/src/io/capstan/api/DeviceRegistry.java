package io.capstan.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All devices of all {@link CaptureBackend}s. Posts {@link CapstanEvents#DEVICE_ADDED} and
 * {@link CapstanEvents#DEVICE_REMOVED} as devices come and go. Thread-safe.
 */
public interface DeviceRegistry {

    /** @return every device now, ordered by backend and id */
    List<Device> devices();

    /** @return the device with this id, if any backend offers it now */
    Optional<Device> find(String id);

    /**
     * Waits until a device with this id exists.
     *
     * @param timeout how long to wait; zero means look once
     * @throws DeviceNotFoundException when it did not appear in time (lists the known devices)
     * @throws InterruptedException    when the calling thread is interrupted
     */
    Device await(String id, Duration timeout) throws DeviceNotFoundException, InterruptedException;

    /** @return the backends present, by id */
    List<CaptureBackend> backends();
}
