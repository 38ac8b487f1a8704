package io.capstan.api;

/**
 * What to record.
 *
 * @param deviceId   the device to record from: an id, {@value DeviceRegistry#DEFAULT}, or an
 *                   unambiguous description prefix (see {@link DeviceRegistry#find(String)})
 * @param format     the format to record in, or null for the device's native format
 * @param frameLimit stop after exactly this many frames; 0 for no limit
 * @param backend    {@link CaptureBackend#id()} to record through, or null for the preferred one
 * @param convert    true to let the audio system convert to a rate or channel count that differs
 *                   from the device's; false refuses such a format before the take starts
 */
public record CaptureRequest(String deviceId, AudioFormat format, long frameLimit, String backend, boolean convert) {

    public CaptureRequest {
        if (deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("a device id is required");
        }
        if (frameLimit < 0) {
            throw new IllegalArgumentException("frame limit must be 0 (none) or positive, was " + frameLimit);
        }
        if (backend != null && backend.isBlank()) {
            backend = null;
        }
    }

    /** A request through the preferred backend, without conversion. */
    public CaptureRequest(String deviceId, AudioFormat format, long frameLimit) {
        this(deviceId, format, frameLimit, null, false);
    }
}
