package io.capstan.backend.platform.coreaudio.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.capstan.api.AudioFormat;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

/**
 * Builds Capstan's device list from the HAL: every device with input channels, id = UID,
 * description = name, native format = nominal rate × input channels, F32_LE. A device that
 * fails while being read (it is being unplugged) is left out and noted.
 */
final class DeviceScanner {

    /**
     * One look at the HAL.
     *
     * @param devices    capture devices, by UID
     * @param objectIds  HAL object id of each listed UID
     * @param defaultUid UID of the default input device, or null
     * @param problems   what could not be read
     */
    record Scan(List<Device> devices, Map<String, Integer> objectIds, String defaultUid, List<String> problems) {
    }

    private final Hal hal;
    private final String backendId;

    DeviceScanner(Hal hal, String backendId) {
        this.hal = hal;
        this.backendId = backendId;
    }

    Scan scan() throws OSStatusException {
        List<Device> devices = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int id : hal.deviceIds()) {
            try {
                int channels = hal.inputChannels(id);
                if (channels <= 0) {
                    continue;
                }
                String uid = hal.uid(id);
                int rate = (int) Math.round(hal.nominalSampleRate(id));
                devices.add(new Device(uid, hal.name(id), new AudioFormat(rate, channels, SampleFormat.F32_LE),
                        backendId));
                ids.put(uid, id);
            } catch (OSStatusException | IllegalArgumentException e) {
                problems.add("device " + id + ": " + e.getMessage());
            }
        }
        devices.sort(Comparator.comparing(Device::id));
        String defaultUid = null;
        int def = hal.defaultInputDevice();
        for (Map.Entry<String, Integer> e : ids.entrySet()) {
            if (e.getValue() == def) {
                defaultUid = e.getKey();
            }
        }
        return new Scan(List.copyOf(devices), Map.copyOf(ids), defaultUid, List.copyOf(problems));
    }

    /**
     * @return the UIDs in {@code before} that are not in {@code after} (devices that went away)
     */
    static List<String> removed(List<Device> before, List<Device> after) {
        List<String> gone = new ArrayList<>();
        for (Device d : before) {
            if (after.stream().noneMatch(a -> a.id().equals(d.id()))) {
                gone.add(d.id());
            }
        }
        return gone;
    }
}
