package io.capstan.api;

/**
 * What to record.
 *
 * @param deviceId   the device to record from
 * @param format     the format to record in, or null for the device's native format
 * @param frameLimit stop after exactly this many frames; 0 for no limit
 */
public record CaptureRequest(String deviceId, AudioFormat format, long frameLimit) {

    public CaptureRequest {
        if (deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("a device id is required");
        }
        if (frameLimit < 0) {
            throw new IllegalArgumentException("frame limit must be 0 (none) or positive, was " + frameLimit);
        }
    }
}
