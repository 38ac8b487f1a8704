package io.capstan.registry.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.capstan.api.CapstanEvents;
import io.capstan.api.CaptureBackend;
import io.capstan.api.Device;
import io.capstan.api.DeviceListener;
import io.capstan.api.DeviceNotFoundException;
import io.capstan.api.DeviceRegistry;

/**
 * Aggregates the devices of every {@link CaptureBackend} service. Keeps the last known device
 * list per backend, diffs it whenever a backend reports a change (or is bound or unbound), and
 * posts {@code capstan/device/ADDED|REMOVED} for the difference, and {@code capstan/device/DEFAULT}
 * when the device {@code default} names changes.
 */
@Component(service = DeviceRegistry.class, immediate = true)
public final class DeviceRegistryImpl implements DeviceRegistry, DeviceListener {

    private static final Comparator<Device> ORDER =
            Comparator.comparing(Device::backend).thenComparing(Device::id);

    private final EventAdmin events;
    private final Map<String, CaptureBackend> backends = new ConcurrentHashMap<>();
    /** Last device list seen per backend id; guarded by {@code this}. */
    private final Map<String, List<Device>> known = new HashMap<>();
    /** Id of the device {@code default} named when last announced, or null; guarded by {@code this}. */
    private String announcedDefault;

    @Activate
    public DeviceRegistryImpl(@Reference EventAdmin events) {
        this.events = events;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindBackend(CaptureBackend backend) {
        backends.put(backend.id(), backend);
        backend.addDeviceListener(this);
        devicesChanged(backend);
    }

    void unbindBackend(CaptureBackend backend) {
        backend.removeDeviceListener(this);
        backends.remove(backend.id(), backend);
        update(backend.id(), List.of());
    }

    @Override
    public void devicesChanged(CaptureBackend backend) {
        if (backends.get(backend.id()) != backend) {
            return;
        }
        List<Device> now;
        try {
            now = List.copyOf(backend.devices());
        } catch (RuntimeException e) {
            System.getLogger(getClass().getName()).log(System.Logger.Level.WARNING,
                    "backend " + backend.id() + " failed to list its devices", e);
            now = List.of();
        }
        update(backend.id(), now);
    }

    private void update(String backendId, List<Device> now) {
        List<Event> toPost = new ArrayList<>();
        synchronized (this) {
            List<Device> before = known.getOrDefault(backendId, List.of());
            Map<String, Device> beforeById = byId(before);
            Map<String, Device> nowById = byId(now);
            for (Device d : before) {
                if (!nowById.containsKey(d.id())) {
                    toPost.add(event(CapstanEvents.DEVICE_REMOVED, d));
                }
            }
            for (Device d : now) {
                if (!beforeById.containsKey(d.id())) {
                    toPost.add(event(CapstanEvents.DEVICE_ADDED, d));
                }
            }
            if (now.isEmpty()) {
                known.remove(backendId);
            } else {
                known.put(backendId, now);
            }
            List<Device> named = match(DEFAULT);
            Device defaultNow = named.size() == 1 ? named.get(0) : null;
            String idNow = defaultNow == null ? null : defaultNow.id();
            if (!java.util.Objects.equals(idNow, announcedDefault)) {
                announcedDefault = idNow;
                toPost.add(defaultNow == null ? new Event(CapstanEvents.DEVICE_DEFAULT, Map.of())
                        : event(CapstanEvents.DEVICE_DEFAULT, defaultNow));
            }
            notifyAll();
        }
        toPost.forEach(events::postEvent);
    }

    private static Map<String, Device> byId(List<Device> devices) {
        Map<String, Device> map = new HashMap<>();
        devices.forEach(d -> map.put(d.id(), d));
        return map;
    }

    private static Event event(String topic, Device d) {
        return new Event(topic, Map.of(CapstanEvents.DEVICE_ID, d.id(),
                CapstanEvents.DESCRIPTION, d.description(), CapstanEvents.BACKEND, d.backend()));
    }

    /**
     * Every device, one per id: where several backends offer the same id (the native PipeWire
     * backend and the sidecar see the same nodes), the backend with the highest
     * {@link CaptureBackend#priority()} lists it.
     */
    @Override
    public synchronized List<Device> devices() {
        Map<String, Device> byId = new HashMap<>();
        for (List<Device> list : known.values()) {
            for (Device d : list) {
                byId.merge(d.id(), d, (a, b) -> priority(b) > priority(a) ? b : a);
            }
        }
        List<Device> all = new ArrayList<>(byId.values());
        all.sort(ORDER);
        return all;
    }

    private int priority(Device d) {
        CaptureBackend b = backends.get(d.backend());
        return b == null ? Integer.MIN_VALUE : b.priority();
    }

    @Override
    public Optional<Device> find(String selector) {
        List<Device> matches = match(selector);
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    @Override
    public synchronized Optional<Device> find(String id, String backendId) {
        return known.getOrDefault(backendId, List.of()).stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /**
     * The devices a selector names: the one with that id; the default source for
     * {@value DeviceRegistry#DEFAULT}; else every device whose description or id starts with it
     * (ignoring case). Exactly one is a match; several are ambiguous.
     */
    List<Device> match(String selector) {
        List<Device> all = devices();
        for (Device d : all) {
            if (d.id().equals(selector)) {
                return List.of(d);
            }
        }
        if (DEFAULT.equals(selector)) {
            List<CaptureBackend> byPriority = new ArrayList<>(backends.values());
            byPriority.sort(Comparator.comparingInt(CaptureBackend::priority).reversed());
            for (CaptureBackend b : byPriority) {
                Optional<String> id = b.defaultDeviceId();
                if (id.isPresent()) {
                    return all.stream().filter(d -> d.id().equals(id.get())).limit(1).toList();
                }
            }
            return List.of();
        }
        String prefix = selector.toLowerCase(Locale.ROOT);
        return all.stream().filter(d -> d.description().toLowerCase(Locale.ROOT).startsWith(prefix)
                || d.id().toLowerCase(Locale.ROOT).startsWith(prefix)).toList();
    }

    @Override
    public synchronized Device await(String id, Duration timeout)
            throws DeviceNotFoundException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Device> matches = match(id);
            if (matches.size() == 1) {
                return matches.get(0);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || matches.size() > 1) {
                String why;
                if (matches.size() > 1) {
                    why = "(ambiguous: it matches " + matches.stream().map(Device::id).toList()
                            + "; give more of the id or description)";
                } else if (DEFAULT.equals(id)) {
                    why = "(no backend names a default source that is present)";
                } else {
                    why = timeout.isZero() ? null : "(none appeared within " + timeout.toMillis() + " ms)";
                }
                throw new DeviceNotFoundException(id, devices().stream().map(Device::id).toList(), why);
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }

    @Override
    public List<CaptureBackend> backends() {
        return backends.values().stream().sorted(Comparator.comparing(CaptureBackend::id)).toList();
    }
}
