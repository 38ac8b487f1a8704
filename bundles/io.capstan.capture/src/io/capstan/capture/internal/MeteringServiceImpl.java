package io.capstan.capture.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.capstan.api.CapstanException;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureException;
import io.capstan.api.Device;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.LevelTap;
import io.capstan.api.MeteringService;

/**
 * Meters devices through monitor streams of their backends (one per device, shared by all taps
 * of it). The capture thread only copies into a {@link ByteRing}; the {@code capstan-meter}
 * thread drains every ring and computes levels {@value #RATE_HZ} times a second.
 */
@Component(service = MeteringService.class)
public final class MeteringServiceImpl implements MeteringService {

    /** Level updates per second. */
    static final int RATE_HZ = 50;
    /** Peak hold and clip indicator time. */
    static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private final DeviceRegistry registry;
    private final Map<String, Monitor> monitors = new ConcurrentHashMap<>();
    private final ScheduledExecutorService meterThread;

    @Activate
    public MeteringServiceImpl(@Reference DeviceRegistry registry) {
        this.registry = registry;
        this.meterThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "capstan-meter");
            t.setDaemon(true);
            return t;
        });
        meterThread.scheduleAtFixedRate(this::meterAll, 0, 1000 / RATE_HZ, TimeUnit.MILLISECONDS);
    }

    @Override
    public LevelTap tap(String deviceId) throws CapstanException {
        Device device = registry.find(deviceId).orElseThrow(() -> new io.capstan.api.DeviceNotFoundException(deviceId,
                registry.devices().stream().map(Device::id).toList(), null));
        synchronized (this) {
            Monitor m = monitors.get(deviceId);
            if (m == null || m.isEnded()) {
                CaptureBackend backend = registry.backends().stream()
                        .filter(b -> b.id().equals(device.backend())).findFirst()
                        .orElseThrow(() -> new CaptureException("backend '" + device.backend() + "' is gone"));
                m = new Monitor(device, HOLD_NANOS);
                m.open(backend);
                monitors.put(deviceId, m);
            }
            return m.newTap(this::release);
        }
    }

    private synchronized void release(Monitor m) {
        if (m.release() == 0) {
            monitors.remove(m.device().id(), m);
            m.stop();
        }
    }

    private void meterAll() {
        long now = System.nanoTime();
        for (Monitor m : monitors.values()) {
            try {
                m.meter(now);
            } catch (RuntimeException e) {
                System.getLogger(getClass().getName()).log(System.Logger.Level.WARNING,
                        "metering " + m.device().id() + " failed", e);
            }
        }
    }

    @Deactivate
    void deactivate() {
        meterThread.shutdownNow();
        monitors.values().forEach(Monitor::stop);
        monitors.clear();
    }
}
