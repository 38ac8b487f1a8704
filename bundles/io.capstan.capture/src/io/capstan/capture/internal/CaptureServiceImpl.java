package io.capstan.capture.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

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
import io.capstan.api.Levels;
import io.capstan.api.FrameSink;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;

/** Starts takes on the backend that offers the device and writes them into the chunk store. */
@Component(service = CaptureService.class, configurationPid = CaptureServiceImpl.PID)
@Designate(ocd = CaptureServiceImpl.Config.class)
public final class CaptureServiceImpl implements CaptureService {

    static final String PID = "io.capstan.capture";

    /** Configuration PID {@code io.capstan.capture}. */
    @ObjectClassDefinition(name = "Capstan capture")
    @interface Config {
        @AttributeDefinition(description = "Interval of level events (peak/RMS per channel) per take, in "
                + "milliseconds, while an EventHandler names a capstan/level topic; 0 turns metering off")
        long levelIntervalMillis() default 0;
    }

    /**
     * Handlers that name level events in their {@code event.topics} ({@code capstan/level/*},
     * {@code capstan/level/UPDATE}); a handler of {@code *} or {@code capstan/*} does not ask for
     * them. Metering costs a copy and a pass over every sample of every take: it runs only while
     * one of these is registered.
     */
    static final String LEVEL_HANDLERS = "(" + org.osgi.service.event.EventConstants.EVENT_TOPIC + "=capstan/level*)";

    /** How long a start waits for a device that is not (yet) listed, e.g. right after start-up. */
    static final Duration DEVICE_WAIT = Duration.ofSeconds(2);
    /** How long deactivation waits for running takes to be sealed. */
    static final Duration STOP_WAIT = Duration.ofSeconds(15);

    private final DeviceRegistry registry;
    private final ChunkStore store;
    private final EventAdmin events;
    private final Map<String, TakeRun> active = new ConcurrentHashMap<>();
    private final ExecutorService finisher;
    private final ScheduledThreadPoolExecutor meterThread;
    private final long levelIntervalMillis;
    /** Registered EventHandlers that asked for level events (see {@link #LEVEL_HANDLERS}). */
    private final AtomicInteger levelHandlers = new AtomicInteger();
    private final Object meterLock = new Object();
    /** The meter's periodic task while a take and a level handler both exist (guarded by meterLock). */
    private ScheduledFuture<?> metering;

    @Activate
    public CaptureServiceImpl(Config config, @Reference DeviceRegistry registry, @Reference ChunkStore store,
            @Reference EventAdmin events) {
        this(registry, store, events, config.levelIntervalMillis());
    }

    /** For tests: metering every {@code levelIntervalMillis} (0: off). */
    CaptureServiceImpl(DeviceRegistry registry, ChunkStore store, EventAdmin events, long levelIntervalMillis) {
        this.registry = registry;
        this.store = store;
        this.events = events;
        AtomicInteger n = new AtomicInteger();
        this.finisher = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "capstan-take-end-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.levelIntervalMillis = Math.max(0, levelIntervalMillis);
        if (this.levelIntervalMillis > 0) {
            meterThread = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "capstan-level-meter");
                t.setDaemon(true);
                return t;
            });
            meterThread.setRemoveOnCancelPolicy(true);
        } else {
            meterThread = null;
        }
    }

    @Reference(service = EventHandler.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = LEVEL_HANDLERS)
    void addLevelHandler(ServiceReference<EventHandler> handler) {
        if (levelHandlers.getAndIncrement() == 0 && levelIntervalMillis > 0) {
            active.values().forEach(run -> run.meter(new TakeLevels(run.format(), 1.0)));
        }
        meterWhileWanted();
    }

    void removeLevelHandler(ServiceReference<EventHandler> handler) {
        if (levelHandlers.decrementAndGet() == 0) {
            active.values().forEach(run -> run.meter(null));
        }
        meterWhileWanted();
    }

    /**
     * Schedules the meter while a take records and a level handler listens, and cancels it when
     * either is gone: an idle service, or one nobody meters, wakes no thread (a meter ticking at
     * 10 Hz for nothing cost an idle daemon 0.16 % of a core). Called after every change of
     * {@link #active} or of the handlers; each call decides from the state after its own change.
     */
    private void meterWhileWanted() {
        if (meterThread == null) {
            return;
        }
        synchronized (meterLock) {
            boolean wanted = levelHandlers.get() > 0 && !active.isEmpty();
            if (wanted && metering == null) {
                metering = meterThread.scheduleAtFixedRate(this::postLevels, levelIntervalMillis,
                        levelIntervalMillis, TimeUnit.MILLISECONDS);
            } else if (!wanted && metering != null) {
                metering.cancel(false);
                metering = null;
            }
        }
    }

    /** @return whether the meter's periodic task is scheduled (for tests) */
    boolean metering() {
        synchronized (meterLock) {
            return metering != null;
        }
    }

    /** On the meter thread: one level event per recording take that received frames since the last. */
    void postLevels() {
        for (TakeRun run : active.values()) {
            TakeLevels meter = run.meter();
            Levels levels = meter == null ? null : meter.drain(System.nanoTime());
            if (levels == null) {
                continue;
            }
            Map<String, Object> p = new HashMap<>();
            p.put(CapstanEvents.TAKE_ID, run.id());
            p.put(CapstanEvents.FRAMES, levels.frames());
            p.put(CapstanEvents.CHANNELS, levels.channels());
            for (int c = 0; c < levels.channels(); c++) {
                p.put(CapstanEvents.PEAK + "." + c, TakeLevels.linear(levels.peakDbfs()[c]));
                p.put(CapstanEvents.RMS + "." + c, TakeLevels.linear(levels.rmsDbfs()[c]));
            }
            events.postEvent(new Event(CapstanEvents.LEVEL, p));
        }
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
        track(run);
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

    /** Lists a starting take as active and meters it if a level handler listens. */
    void track(TakeRun run) {
        active.put(run.id(), run); // before the check: a level handler coming now meters this take too
        if (levelIntervalMillis > 0 && levelHandlers.get() > 0 && run.meter() == null) {
            run.meter(new TakeLevels(run.format(), 1.0));
        }
        meterWhileWanted();
    }

    /** A take's end (its finisher thread): no longer active; posts its stop or failure. */
    void ended(TakeRun run) {
        active.remove(run.id(), run);
        meterWhileWanted();
        // getNow would throw the failure (a CompletionException on this thread, printed whole to the
        // terminal by the default handler): read the outcome without it
        Take take = run.result().handle((t, e) -> t).getNow(null);
        String failure = run.result().handle((t, e) -> e == null ? null : messageOf(e)).getNow(null);
        String topic = take != null && take.state() == TakeState.COMPLETE ? CapstanEvents.TAKE_STOPPED
                : CapstanEvents.TAKE_FAILED;
        String reason = take != null && take.reason() != null ? take.reason()
                : failure != null ? failure : "the take could not be finished";
        if (take == null && DEBUG) { // the user sees the reason; its stack trace only when asked for
            Throwable cause = run.result().handle((t, e) -> e).getNow(null);
            LOG.log(System.Logger.Level.WARNING, "take " + run.id() + " failed: " + reason, cause);
        }
        events.postEvent(new Event(topic, Map.of(CapstanEvents.TAKE_ID, run.id(),
                CapstanEvents.DEVICE_ID, run.device().id(),
                CapstanEvents.FRAMES, take != null ? take.frames() : run.frames(),
                CapstanEvents.CHUNKS, take != null ? take.chunks().size() : run.chunks(),
                CapstanEvents.REASON, reason)));
    }

    private static final System.Logger LOG = System.getLogger(CaptureServiceImpl.class.getName());
    /** CAPSTAN_DEBUG=1 (the ./capstan script's switch for the framework log): stack traces of failed takes on stderr. */
    private static final boolean DEBUG = "1".equals(System.getenv("CAPSTAN_DEBUG"));

    private static String messageOf(Throwable e) {
        Throwable t = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() != null ? t.getMessage() : t.toString();
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
        if (meterThread != null) {
            meterThread.shutdownNow();
        }
        finisher.shutdown();
        finisher.awaitTermination(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
