package io.capstan.api;

import java.util.List;
import java.util.Optional;

/**
 * Service provider interface of a capture backend (PipeWire, CoreAudio, a sidecar process, a
 * test signal). Backends are OSGi services; the {@link DeviceRegistry} aggregates all of them.
 *
 * <p>Threading: all methods may be called from any thread.
 */
public interface CaptureBackend {

    /** @return short stable name of the backend, e.g. {@code pipewire}, {@code sidecar} */
    String id();

    /** @return the devices this backend offers now; empty when its audio system is unavailable */
    List<Device> devices();

    /**
     * Starts capturing from {@code device} in {@code format}, delivering frames to {@code sink}
     * until the stream is stopped, the source ends or capture fails.
     *
     * @throws CaptureException when capture cannot start (device gone, format refused, the audio
     *                          system or a helper program missing); the message says what to do
     */
    CaptureStream open(Device device, AudioFormat format, FrameSink sink) throws CaptureException;

    /**
     * @return a line saying why this backend offers no devices (e.g. "pw-dump not found: install
     *         pipewire-bin"), or null when it works
     */
    default String problem() {
        return null;
    }

    /** Registers a listener told when {@link #devices()} changes (hot-plug). Default: never told. */
    default void addDeviceListener(DeviceListener listener) {
    }

    /** Removes a listener added with {@link #addDeviceListener}. */
    default void removeDeviceListener(DeviceListener listener) {
    }

    /**
     * @return how strongly this backend is preferred when several offer a device with the same id
     *         (higher wins; the others' copies are hidden from {@link DeviceRegistry#devices()} but
     *         stay reachable by naming the backend). Default 0; an in-process native backend 100.
     */
    default int priority() {
        return 0;
    }

    /** @return the id of the device the audio system names its default source now, if it names one */
    default Optional<String> defaultDeviceId() {
        return Optional.empty();
    }
}
