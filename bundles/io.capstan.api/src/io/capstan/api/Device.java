package io.capstan.api;

/**
 * A capture endpoint offered by a {@link CaptureBackend}.
 *
 * @param id           stable identifier across restarts (PipeWire: {@code node.name}; CoreAudio:
 *                     the device UID); never a transient numeric id
 * @param description  human-readable name ({@code node.description})
 * @param nativeFormat the device's own rate and channel count, and the sample format Capstan
 *                     records by default
 * @param backend      {@link CaptureBackend#id()} of the backend that offers it
 */
public record Device(String id, String description, AudioFormat nativeFormat, String backend) {

    public Device {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("device id is required");
        }
        if (nativeFormat == null) {
            throw new IllegalArgumentException("native format of device '" + id + "' is required");
        }
        if (backend == null || backend.isBlank()) {
            throw new IllegalArgumentException("backend of device '" + id + "' is required");
        }
        description = description == null || description.isBlank() ? id : description;
    }
}
