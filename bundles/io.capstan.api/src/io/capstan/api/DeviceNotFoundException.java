package io.capstan.api;

import java.util.List;

/** No device has the requested id; the message lists the devices that exist. */
public class DeviceNotFoundException extends CapstanException {
    private static final long serialVersionUID = 1L;
    private final String deviceId;
    private final List<String> knownIds;

    public DeviceNotFoundException(String deviceId, List<String> knownIds, String why) {
        super("no device '" + deviceId + "'" + (why == null ? "" : " " + why) + "; "
                + (knownIds.isEmpty() ? "no devices are available (run 'capstan devices' to see why)"
                        : "known devices: " + String.join(", ", knownIds)));
        this.deviceId = deviceId;
        this.knownIds = List.copyOf(knownIds);
    }

    /** @return the id that was asked for */
    public String deviceId() {
        return deviceId;
    }

    /** @return ids of the devices known when the lookup failed */
    public List<String> knownIds() {
        return knownIds;
    }
}
