package io.capstan.registry.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.capstan.api.AudioFormat;
import io.capstan.api.CapstanEvents;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.DeviceListener;
import io.capstan.api.DeviceNotFoundException;
import io.capstan.api.FrameSink;
import io.capstan.api.SampleFormat;

class DeviceRegistryImplTest {

    private static final AudioFormat STEREO = new AudioFormat(48_000, 2, SampleFormat.F32_LE);

    /** Records events instead of delivering them. */
    static final class RecordingEventAdmin implements EventAdmin {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            events.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            events.add(event);
        }

        List<String> lines() {
            return events.stream().map(e -> e.getTopic() + " " + e.getProperty(CapstanEvents.DEVICE_ID)).toList();
        }
    }

    /** A backend whose device list the test sets. */
    static final class ListBackend implements CaptureBackend {
        final String id;
        volatile List<Device> devices = List.of();
        volatile int priority;
        volatile String defaultId;

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public java.util.Optional<String> defaultDeviceId() {
            return java.util.Optional.ofNullable(defaultId);
        }
        final List<DeviceListener> listeners = new CopyOnWriteArrayList<>();

        ListBackend(String id) {
            this.id = id;
        }

        void set(String... ids) {
            List<Device> list = new ArrayList<>();
            for (String d : ids) {
                list.add(new Device(d, "desc " + d, STEREO, id));
            }
            devices = list;
            listeners.forEach(l -> l.devicesChanged(this));
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public List<Device> devices() {
            return devices;
        }

        @Override
        public CaptureStream open(Device device, AudioFormat format, FrameSink sink) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addDeviceListener(DeviceListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeDeviceListener(DeviceListener listener) {
            listeners.remove(listener);
        }
    }

    private final RecordingEventAdmin events = new RecordingEventAdmin();
    private final DeviceRegistryImpl registry = new DeviceRegistryImpl(events);

    @Test
    void postsAddedForDevicesOfBoundBackend() {
        ListBackend a = new ListBackend("a");
        a.set("mic1", "mic2");
        registry.bindBackend(a);
        assertEquals(List.of("capstan/device/ADDED mic1", "capstan/device/ADDED mic2"), events.lines());
        assertEquals(List.of("mic1", "mic2"), registry.devices().stream().map(Device::id).toList());
    }

    @Test
    void postsAddedAndRemovedOnHotPlug() {
        ListBackend a = new ListBackend("a");
        registry.bindBackend(a);
        a.set("mic1");
        a.set("mic2");
        assertEquals(List.of("capstan/device/ADDED mic1", "capstan/device/REMOVED mic1", "capstan/device/ADDED mic2"),
                events.lines());
        assertTrue(registry.find("mic1").isEmpty());
        assertEquals("a", registry.find("mic2").orElseThrow().backend());
    }

    @Test
    void removesDevicesOfUnboundBackend() {
        ListBackend a = new ListBackend("a");
        ListBackend b = new ListBackend("b");
        a.set("mic1");
        b.set("line1");
        registry.bindBackend(a);
        registry.bindBackend(b);
        registry.unbindBackend(a);
        assertEquals(List.of("line1"), registry.devices().stream().map(Device::id).toList());
        assertEquals("capstan/device/REMOVED mic1", events.lines().get(events.lines().size() - 1));
        assertEquals(List.of("b"), registry.backends().stream().map(CaptureBackend::id).toList());
        a.set("mic3");
        assertTrue(registry.find("mic3").isEmpty(), "an unbound backend's changes are ignored");
    }

    @Test
    void awaitReturnsDeviceThatAppearsLater() throws Exception {
        ListBackend a = new ListBackend("a");
        registry.bindBackend(a);
        CompletableFuture<Device> found = CompletableFuture.supplyAsync(() -> {
            try {
                return registry.await("late", Duration.ofSeconds(10));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        a.set("late");
        assertEquals("late", found.get(10, TimeUnit.SECONDS).id());
    }

    @Test
    void awaitTimesOutListingKnownDevices() {
        ListBackend a = new ListBackend("a");
        a.set("mic1", "mic2");
        registry.bindBackend(a);
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                () -> registry.await("nope", Duration.ofMillis(50)));
        assertEquals(List.of("mic1", "mic2"), e.knownIds());
        assertTrue(e.getMessage().contains("known devices: mic1, mic2"), e.getMessage());
    }

    @Test
    void eventsCarryDescriptionAndBackend() {
        ListBackend a = new ListBackend("a");
        a.set("mic1");
        registry.bindBackend(a);
        Event e = events.events.get(0);
        assertEquals("desc mic1", e.getProperty(CapstanEvents.DESCRIPTION));
        assertEquals("a", e.getProperty(CapstanEvents.BACKEND));
    }

    @Test
    void listsADeviceOfferedByTwoBackendsOnceThroughTheHigherPriority() {
        ListBackend sidecar = new ListBackend("sidecar");
        ListBackend pipewire = new ListBackend("pipewire");
        pipewire.priority = 100;
        sidecar.set("mic1", "only-sidecar");
        pipewire.set("mic1");
        registry.bindBackend(sidecar);
        registry.bindBackend(pipewire);

        assertEquals(List.of("pipewire mic1", "sidecar only-sidecar"),
                registry.devices().stream().map(d -> d.backend() + " " + d.id()).toList());
        assertEquals("pipewire", registry.find("mic1").orElseThrow().backend());
        assertEquals("sidecar", registry.find("mic1", "sidecar").orElseThrow().backend(), "still reachable");
    }

    @Test
    void announcesTheDefaultSourceWhenItChanges() {
        ListBackend a = new ListBackend("a");
        registry.bindBackend(a);
        a.defaultId = "mic1";
        a.set("mic1", "mic2");
        a.defaultId = "mic2";
        a.set("mic1", "mic2"); // the backend tells of the new default
        a.set("mic1", "mic2"); // nothing changed: nothing announced
        a.set("mic1"); // the default source went away
        assertEquals(List.of("capstan/device/ADDED mic1", "capstan/device/ADDED mic2", "capstan/device/DEFAULT mic1",
                "capstan/device/DEFAULT mic2", "capstan/device/REMOVED mic2", "capstan/device/DEFAULT null"),
                events.lines());
    }

    @Test
    void resolvesDefaultAndUnambiguousDescriptionPrefixes() throws Exception {
        ListBackend a = new ListBackend("a");
        a.set("mic1", "mic2", "line");
        a.defaultId = "mic2";
        registry.bindBackend(a);

        assertEquals("mic2", registry.await("default", Duration.ZERO).id());
        assertEquals("line", registry.await("desc l", Duration.ZERO).id());
        assertEquals("line", registry.await("LIN", Duration.ZERO).id(), "id prefix, any case");
        DeviceNotFoundException e = assertThrows(DeviceNotFoundException.class,
                () -> registry.await("desc mic", Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("ambiguous") && e.getMessage().contains("mic1"), e.getMessage());
    }
}
