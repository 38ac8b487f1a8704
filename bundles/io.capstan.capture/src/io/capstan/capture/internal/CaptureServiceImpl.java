package io.capstan.capture.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.capstan.api.ActiveTake;
import io.capstan.api.AudioFormat;
import io.capstan.api.CapstanEvents;
import io.capstan.api.CapstanException;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureRequest;
import io.capstan.api.CaptureService;
import io.capstan.api.CaptureStream;
import io.capstan.api.ChunkStore;
import io.capstan.api.Device;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.FrameSink;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;

/** Starts takes on the backend that offers the device and writes them into the chunk store. */
@Component(service = CaptureService.class)
public final class CaptureServiceImpl implements CaptureService {

    /** How long a start waits for a device that is not (yet) listed, e.g. right after start-up. */
    static final Duration DEVICE_WAIT = Duration.ofSeconds(2);
    /** How long deactivation waits for running takes to be sealed. */
    static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final DeviceRegistry registry;
    private final ChunkStore store;
    private final EventAdmin events;
    private final Map<String, TakeRun> active = new ConcurrentHashMap<>();
    private final ExecutorService finisher;

    @Activate
    public CaptureServiceImpl(@Reference DeviceRegistry registry, @Reference ChunkStore store,
            @Reference EventAdmin events) {
        this.registry = registry;
        this.store = store;
        this.events = events;
        AtomicInteger n = new AtomicInteger();
        this.finisher = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "capstan-take-end-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public ActiveTake start(CaptureRequest request) throws CapstanException {
        Device device;
        try {
            device = registry.await(request.deviceId(), DEVICE_WAIT);
            if (request.backend() != null && !request.backend().equals(device.backend())) {
                String id = device.id();
                device = registry.find(id, request.backend()).orElseThrow(() -> new CaptureException("backend '"
                        + request.backend() + "' does not offer device " + id + "; backends present: "
                        + registry.backends().stream().map(CaptureBackend::id).toList()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException("interrupted while looking for device " + request.deviceId(), e);
        }
        Device chosen = device;
        CaptureBackend backend = registry.backends().stream()
                .filter(b -> b.id().equals(chosen.backend())).findFirst()
                .orElseThrow(() -> new CaptureException("backend '" + chosen.backend() + "' of device "
                        + chosen.id() + " is gone; run 'capstan devices' again"));
        AudioFormat format = request.format() != null ? request.format() : device.nativeFormat();
        checkFormat(device, format, request.convert());
        TakeWriter writer = store.begin(device, format);
        TakeRun run = new TakeRun(device, format, writer, request.frameLimit(), finisher, this::ended, this::gap);
        active.put(run.id(), run);
        events.postEvent(new Event(CapstanEvents.TAKE_STARTED, Map.of(CapstanEvents.TAKE_ID, run.id(),
                CapstanEvents.DEVICE_ID, device.id(), CapstanEvents.FORMAT, format.toString())));
        CaptureStream stream;
        try {
            stream = backend.open(device, format, run);
        } catch (CaptureException | RuntimeException e) {
            run.abort("capture did not start: " + e.getMessage());
            throw e instanceof CaptureException ce ? ce
                    : new CaptureException("backend " + backend.id() + " failed to start: " + e, e);
        }
        run.started(stream);
        return run;
    }

    /**
     * Refuses a rate or channel count other than the device's own unless conversion was asked
     * for: a take records what the device hears, not what a resampler or channel mixer made of it.
     */
    static void checkFormat(Device device, AudioFormat format, boolean convert) throws CaptureException {
        AudioFormat n = device.nativeFormat();
        if (!convert && (format.sampleRate() != n.sampleRate() || format.channels() != n.channels())) {
            throw new CaptureException("device " + device.id() + " records " + n.sampleRate() + " Hz "
                    + n.channels() + "ch natively; " + format.sampleRate() + " Hz " + format.channels()
                    + "ch needs conversion: ask for it explicitly (--convert), or drop --rate/--channels");
        }
    }

    private void gap(TakeRun run, String kind, long takeFrame, long frames) {
        events.postEvent(new Event(FrameSink.XRUN.equals(kind) ? CapstanEvents.TAKE_XRUN : CapstanEvents.TAKE_OVERRUN,
                Map.of(CapstanEvents.TAKE_ID, run.id(), CapstanEvents.DEVICE_ID, run.device().id(),
                        CapstanEvents.FIRST_FRAME, takeFrame, CapstanEvents.FRAMES, frames)));
    }

    private void ended(TakeRun run) {
        active.remove(run.id(), run);
        Take take = run.result().getNow(null);
        String topic = take != null && take.state() == TakeState.COMPLETE ? CapstanEvents.TAKE_STOPPED
                : CapstanEvents.TAKE_FAILED;
        String reason = take != null ? take.reason() : "the take could not be finished";
        events.postEvent(new Event(topic, Map.of(CapstanEvents.TAKE_ID, run.id(),
                CapstanEvents.DEVICE_ID, run.device().id(),
                CapstanEvents.FRAMES, take != null ? take.frames() : run.frames(),
                CapstanEvents.CHUNKS, take != null ? take.chunks().size() : run.chunks(),
                CapstanEvents.REASON, reason)));
    }

    @Override
    public List<ActiveTake> active() {
        return active.values().stream().sorted(Comparator.comparing(TakeRun::id))
                .map(ActiveTake.class::cast).toList();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        List<TakeRun> running = List.copyOf(active.values());
        running.forEach(TakeRun::stop);
        for (TakeRun run : running) {
            try {
                run.awaitEnd(STOP_WAIT);
            } catch (CaptureException e) {
                System.getLogger(getClass().getName()).log(System.Logger.Level.WARNING, e.getMessage());
            }
        }
        finisher.shutdown();
        finisher.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
