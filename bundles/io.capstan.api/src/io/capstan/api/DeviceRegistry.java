package io.capstan.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * All devices of all {@link CaptureBackend}s. Posts {@link CapstanEvents#DEVICE_ADDED} and
 * {@link CapstanEvents#DEVICE_REMOVED} as devices come and go, and {@link CapstanEvents#DEVICE_DEFAULT}
 * when the device {@code default} names changes. Thread-safe.
 */
public interface DeviceRegistry {

    /** @return every device now, ordered by backend and id */
    List<Device> devices();

    /**
     * Finds a device by selector: its id; {@value #DEFAULT} for the audio system's default source;
     * or an unambiguous prefix of its description or id (ignoring case).
     *
     * @return the device, if exactly one matches now
     */
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

    /** The name {@link #find} resolves to the audio system's default source. */
    String DEFAULT = "default";

    /**
     * @return the device with this id offered by the named backend (also when it is hidden from
     *         {@link #devices()} because a preferred backend offers the same id)
     */
    default Optional<Device> find(String id, String backendId) {
        return backends().stream().filter(b -> b.id().equals(backendId))
                .flatMap(b -> b.devices().stream()).filter(d -> d.id().equals(id)).findFirst();
    }
}
