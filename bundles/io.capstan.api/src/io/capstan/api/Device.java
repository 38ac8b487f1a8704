package io.capstan.api;

import java.util.List;

/**
 * A capture endpoint offered by a {@link CaptureBackend}.
 *
 * @param id           stable identifier across restarts (PipeWire: {@code node.name}; CoreAudio:
 *                     the device UID); never a transient numeric id
 * @param description  human-readable name ({@code node.description})
 * @param nativeFormat the device's own rate and channel count, and the sample format Capstan
 *                     records by default
 * @param backend      {@link CaptureBackend#id()} of the backend that offers it
 * @param channelPositions the position of each channel in order, in PipeWire/SPA short names
 *                     ({@code FL}, {@code FR}, {@code FC}, {@code LFE}, {@code AUX0}, ...;
 *                     {@code enum spa_audio_channel}), one per channel of the native format; empty
 *                     when the backend does not know them
 */
public record Device(String id, String description, AudioFormat nativeFormat, String backend,
        List<String> channelPositions) {

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
        channelPositions = channelPositions == null ? List.of() : List.copyOf(channelPositions);
        if (!channelPositions.isEmpty() && channelPositions.size() != nativeFormat.channels()) {
            throw new IllegalArgumentException("device '" + id + "' has " + nativeFormat.channels() + " channels but "
                    + channelPositions.size() + " channel positions " + channelPositions);
        }
    }

    /** A device whose channel positions are not known. */
    public Device(String id, String description, AudioFormat nativeFormat, String backend) {
        this(id, description, nativeFormat, backend, List.of());
    }
}
