package io.capstan.backend.platform.coreaudio.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.DeviceListener;
import io.capstan.api.FrameSink;
import io.capstan.backend.platform.NativeMemory;

/**
 * CoreAudio capture backend (macOS): devices with input channels from the HAL, id = device
 * UID; hot-plug and the default input followed through HAL property listeners; capture with an
 * input AudioQueue bound to the device's UID, F32 (or the asked sample format) interleaved at
 * the device's native rate. A device that disappears mid-take ends the take with its chunks.
 */
@Component(service = CaptureBackend.class, immediate = true)
public final class CoreAudioBackend implements CaptureBackend {

    /** Backend id. */
    public static final String ID = "coreaudio";
    /** AudioQueue buffers per take, and frames per buffer (~21 ms at 48 kHz). */
    static final int BUFFERS = 4;
    static final int BUFFER_FRAMES = 1024;
    private static final System.Logger LOG = System.getLogger(CoreAudioBackend.class.getName());

    private final Hal hal;
    private final Function<ByteBuffer, FrameDelivery.Copier> copierFor;
    private final DeviceScanner scanner;
    private final List<DeviceListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, CoreAudioCapture> captures = new ConcurrentHashMap<>();
    private final List<AutoCloseable> halListeners = new ArrayList<>();
    private volatile DeviceScanner.Scan scan = new DeviceScanner.Scan(List.of(), Map.of(), null, List.of());
    private volatile String problem;

    /** Activation on macOS: loads the frameworks (a clear error elsewhere) and listens to the HAL. */
    @Activate
    public CoreAudioBackend() throws OSStatusException {
        this(JnaHal.open(), CoreAudioBackend::nativeCopier);
    }

    /** For tests: any {@link Hal} and copier. */
    CoreAudioBackend(Hal hal, Function<ByteBuffer, FrameDelivery.Copier> copierFor) throws OSStatusException {
        this.hal = hal;
        this.copierFor = copierFor;
        this.scanner = new DeviceScanner(hal, ID);
        refresh();
        halListeners.add(hal.onDevicesChanged(this::refresh));
        halListeners.add(hal.onDefaultInputChanged(this::refresh));
    }

    private static FrameDelivery.Copier nativeCopier(ByteBuffer staging) {
        long base = Pointer.nativeValue(Native.getDirectBufferPointer(staging));
        return (address, target, bytes) -> NativeMemory.memcpy(base + target.position(), address, bytes);
    }

    /** Re-reads the HAL; runs on the HAL's notification thread. */
    void refresh() {
        DeviceScanner.Scan now;
        try {
            now = scanner.scan();
            problem = now.problems().isEmpty() ? null : String.join("; ", now.problems());
        } catch (OSStatusException e) {
            problem = "cannot list CoreAudio devices: " + e.getMessage();
            LOG.log(System.Logger.Level.WARNING, problem);
            return;
        }
        DeviceScanner.Scan before = scan;
        scan = now;
        for (String gone : DeviceScanner.removed(before.devices(), now.devices())) {
            CoreAudioCapture capture = captures.get(gone);
            if (capture != null) {
                capture.deviceGone();
            }
        }
        if (!before.devices().equals(now.devices()) || !java.util.Objects.equals(before.defaultUid(), now.defaultUid())) {
            listeners.forEach(l -> l.devicesChanged(this));
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public List<Device> devices() {
        return scan.devices();
    }

    @Override
    public Optional<String> defaultDeviceId() {
        return Optional.ofNullable(scan.defaultUid());
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public CaptureStream open(Device device, AudioFormat format, FrameSink sink) throws CaptureException {
        AudioFormat n = device.nativeFormat();
        if (format.sampleRate() != n.sampleRate() || format.channels() != n.channels()) {
            throw new CaptureException("device " + device.id() + " records at " + n.sampleRate() + " Hz " + n.channels()
                    + "ch; asked for " + format + " (CoreAudio capture does not convert rate or channels)");
        }
        if (!scan.objectIds().containsKey(device.id())) {
            throw new CaptureException("device " + device.id() + " is gone; run 'capstan devices'");
        }
        if (captures.containsKey(device.id())) {
            throw new CaptureException("device " + device.id() + " is already recording a take");
        }
        int bytesPerBuffer = BUFFER_FRAMES * format.bytesPerFrame();
        CoreAudioCapture[] self = new CoreAudioCapture[1];
        FrameDelivery delivery = new FrameDelivery(sink, format.bytesPerFrame(), bytesPerBuffer * BUFFERS, copierFor,
                () -> self[0].sinkFull());
        CoreAudioCapture capture = new CoreAudioCapture(device, format.bytesPerFrame(), delivery);
        self[0] = capture;
        Hal.InputQueue queue = hal.openInput(device.id(), format, BUFFERS, BUFFER_FRAMES, delivery::onBuffer);
        captures.put(device.id(), capture);
        capture.started(queue, failure -> {
            captures.remove(device.id(), capture);
            sink.end(failure);
        });
        return capture;
    }

    @Override
    public void addDeviceListener(DeviceListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeDeviceListener(DeviceListener listener) {
        listeners.remove(listener);
    }

    /** Stops every take (their chunks are sealed by the capture service) and the HAL listeners. */
    @Deactivate
    void deactivate() throws InterruptedException {
        for (AutoCloseable l : halListeners) {
            try {
                l.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "removing a HAL listener failed: " + e);
            }
        }
        List<CoreAudioCapture> running = List.copyOf(captures.values());
        running.forEach(CoreAudioCapture::stop);
        for (CoreAudioCapture c : running) {
            c.awaitEnd(5_000);
        }
    }
}
