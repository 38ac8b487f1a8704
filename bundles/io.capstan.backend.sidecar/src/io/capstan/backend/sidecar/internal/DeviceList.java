package io.capstan.backend.sidecar.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.capstan.api.CaptureBackend;
import io.capstan.api.Device;
import io.capstan.api.DeviceListener;

/**
 * The device list of a backend that discovers by polling: the last discovery's devices and
 * problem, and the listeners told when the list changed. A new problem is logged once.
 * Thread-safe: updated by the backend's discovery thread, read by any.
 */
final class DeviceList {

    private static final System.Logger LOG = System.getLogger(DeviceList.class.getName());

    private final CaptureBackend owner;
    private final List<DeviceListener> listeners = new CopyOnWriteArrayList<>();
    private volatile List<Device> devices;
    private volatile String problem;

    DeviceList(CaptureBackend owner, List<Device> initial) {
        this.owner = owner;
        this.devices = List.copyOf(initial);
    }

    /**
     * Records one discovery.
     *
     * @param found the devices found (empty when discovery failed)
     * @param why   why the backend offers no devices, or null when discovery worked
     */
    void update(List<Device> found, String why) {
        if (why != null && !why.equals(problem)) {
            LOG.log(System.Logger.Level.WARNING, "backend " + owner.id() + " offers no devices: " + why);
        }
        problem = why;
        if (!found.equals(devices)) {
            devices = List.copyOf(found);
            listeners.forEach(l -> l.devicesChanged(owner));
        }
    }

    List<Device> devices() {
        return devices;
    }

    String problem() {
        return problem;
    }

    void add(DeviceListener listener) {
        listeners.add(listener);
    }

    void remove(DeviceListener listener) {
        listeners.remove(listener);
    }
}
