package io.capstan.backend.platform.pipewire.internal;

import static io.capstan.backend.platform.pipewire.internal.jna.PwAbi.*;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.DeviceListener;
import io.capstan.api.FrameSink;
import io.capstan.backend.platform.Callbacks;
import io.capstan.backend.platform.NativeMemory;
import io.capstan.backend.platform.pipewire.internal.jna.LibPipeWire;

/**
 * PipeWire in process through libpipewire-0.3: a {@link PwRegistry} keeps the capture nodes live
 * (hot-plug), the {@code default} metadata names the default source, and each take is a
 * {@link PwCapture}. Everything PipeWire calls back runs on the loop thread
 * ({@code capstan-pw-loop}) except the process callbacks (real-time data thread); device
 * listeners are told on {@code capstan-pipewire-events}.
 */
@Component(service = CaptureBackend.class, immediate = true, configurationPid = "io.capstan.backend.pipewire")
@Designate(ocd = PipeWireBackend.Config.class)
public final class PipeWireBackend implements CaptureBackend {

    /** Backend id, as shown by {@code capstan devices} and chosen by {@code --backend pipewire}. */
    public static final String ID = "pipewire";
    private static final System.Logger LOG = System.getLogger(PipeWireBackend.class.getName());
    private static final int GRAPH_RATE = 48_000;

    @ObjectClassDefinition(name = "Capstan PipeWire backend (libpipewire)")
    public @interface Config {
        @AttributeDefinition(description = "PipeWire socket to connect to (a name or an absolute path); empty: from the environment")
        String remote() default "";

        @AttributeDefinition(description = "Buffers of one quantum each between PipeWire's real-time thread and storage,"
                + " per stream once deepStreams streams run (1 to 32; 8 hold 170 ms at a 1024-frame quantum and 48 kHz)")
        int buffers() default PoolSizes.DEFAULT_BUFFERS;

        @AttributeDefinition(description = "Buffers per stream while fewer than deepStreams streams run (1 to 32; 32 hold"
                + " 683 ms, so that a take nobody meters is drained every 170 ms instead of every 42 ms)")
        int deepBuffers() default PoolSizes.DEFAULT_DEEP_BUFFERS;

        @AttributeDefinition(description = "Streams that get deepBuffers: the first ones while fewer than this many run"
                + " (0: none)")
        int deepStreams() default PoolSizes.DEFAULT_DEEP_STREAMS;

        @AttributeDefinition(description = "Longest wait for the first audio of a take, in ms")
        long firstDataTimeoutMillis() default 5000;

        @AttributeDefinition(description = "Longest pause of the drain thread between two passes, in ms (shorter when"
                + " what a running stream's pool or its sink tolerates is shorter: 343 ms for a lone take's pool of 32)")
        int drainIntervalMillis() default DEFAULT_DRAIN_MILLIS;
    }

    /** Longest drain period; in practice what the shortest running pool allows ({@link PwCapture#drainPeriod}) or less. */
    static final int DEFAULT_DRAIN_MILLIS = 500;

    private final String remote;
    private final PoolSizes pools;
    private final long firstDataTimeoutMillis;
    private final PwDrainer drainer;
    private final List<DeviceListener> listeners = new CopyOnWriteArrayList<>();
    private final PwRegistry registry = new PwRegistry(GRAPH_RATE, ID, this::changed, this::deviceRemoved);
    private final Map<PwCapture, Boolean> captures = new ConcurrentHashMap<>();
    private final AtomicInteger takeNumber = new AtomicInteger();
    /** Tells listeners, and reconnects when PipeWire is not (or no longer) reachable. */
    private final ScheduledExecutorService notifier = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "capstan-pipewire-events");
        t.setDaemon(true);
        return t;
    });
    // Native objects, strongly held until the loop is stopped.
    private final Memory coreHook = NativeMemory.zeroed(SPA_HOOK_SIZE);
    private final Memory coreEvents = NativeMemory.zeroed(PW_CORE_EVENTS_SIZE);
    private final CoreError coreError = this::coreError;
    private LibPipeWire.ThreadLoop loop;
    private LibPipeWire.Context context;
    private LibPipeWire.Core core;
    private volatile String problem;
    private volatile String version;
    private volatile boolean deactivated;
    private static final long RECONNECT_MILLIS = 2000;

    @Activate
    public PipeWireBackend(Config config) {
        this(config.remote(), new PoolSizes(config.buffers(), config.deepBuffers(), config.deepStreams()),
                config.firstDataTimeoutMillis(), config.drainIntervalMillis());
    }

    /** For tests: connects to {@code remote} (empty: the environment's PipeWire), with the default drain period. */
    PipeWireBackend(String remote, PoolSizes pools, long firstDataTimeoutMillis) {
        this(remote, pools, firstDataTimeoutMillis, DEFAULT_DRAIN_MILLIS);
    }

    private PipeWireBackend(String remote, PoolSizes pools, long firstDataTimeoutMillis, int drainMillis) {
        if (drainMillis < 1) {
            throw new IllegalArgumentException("drainIntervalMillis = " + drainMillis + " must be at least 1");
        }
        this.remote = remote;
        this.pools = pools;
        this.firstDataTimeoutMillis = firstDataTimeoutMillis;
        this.drainer = new PwDrainer(drainMillis);
        try {
            start();
        } catch (UnsatisfiedLinkError | IllegalStateException e) {
            problem = e.getMessage();
            LOG.log(System.Logger.Level.WARNING, "PipeWire backend offers no devices: " + problem);
            shutdownNative();
        }
    }

    private void start() {
        LibPipeWire.load();
        LibPipeWire.pw_init(null, null);
        version = LibPipeWire.pw_get_library_version();
        loop = LibPipeWire.pw_thread_loop_new("capstan-pw-loop", null);
        if (loop == null) {
            throw new IllegalStateException("libpipewire " + version + ": pw_thread_loop_new failed");
        }
        context = newContext();
        if (context == null) {
            throw new IllegalStateException("libpipewire " + version + ": pw_context_new failed");
        }
        int res = LibPipeWire.pw_thread_loop_start(loop);
        if (res < 0) {
            throw new IllegalStateException("libpipewire " + version + ": the loop thread did not start (" + res + ")");
        }
        if (!connect()) {
            LOG.log(System.Logger.Level.WARNING, "PipeWire backend offers no devices: " + problem
                    + "; retrying every " + RECONNECT_MILLIS + " ms");
        }
    }

    /**
     * The client context, with PipeWire's configuration for real-time clients
     * ({@code client-rt.conf}, as pw-record uses): its {@code module-rt} gives the data thread
     * real-time priority (SCHED_FIFO 88 where the user may, through rtkit otherwise; nothing,
     * silently, where neither is allowed). Made on a short-lived thread of
     * its own: module-rt also renices the thread that loads it, which must not be one of the
     * framework's. Named {@code capstan-pw-data}: the context starts PipeWire's real-time thread
     * from it, and that thread inherits the name ({@code top -H}, {@code /proc}).
     */
    private LibPipeWire.Context newContext() {
        LibPipeWire.Context[] made = new LibPipeWire.Context[1];
        Thread init = new Thread(() -> {
            LibPipeWire.Properties props = LibPipeWire.pw_properties_new_string("");
            LibPipeWire.pw_properties_set(props, "config.name", "client-rt.conf");
            made[0] = LibPipeWire.pw_context_new(LibPipeWire.pw_thread_loop_get_loop(loop), props, 0);
        }, "capstan-pw-data");
        init.start();
        try {
            init.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the PipeWire context", e);
        }
        return made[0];
    }

    /**
     * Connects to the daemon and listens to its registry; on failure sets {@link #problem} and
     * schedules another attempt.
     *
     * @return whether it is connected
     */
    private boolean connect() {
        if (deactivated || loop == null) {
            return false;
        }
        LibPipeWire.pw_thread_loop_lock(loop);
        try {
            if (core != null) {
                return true;
            }
            LibPipeWire.Properties props = LibPipeWire.pw_properties_new_string("");
            if (!remote.isEmpty()) {
                LibPipeWire.pw_properties_set(props, "remote.name", remote);
            }
            LibPipeWire.pw_properties_set(props, "application.name", "Capstan");
            core = LibPipeWire.pw_context_connect(context, props, 0);
            if (core == null) {
                String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
                problem = "PipeWire is not reachable (errno " + com.sun.jna.Native.getLastError()
                        + "; is it running for this user? "
                        + (remote.isEmpty() ? (runtimeDir == null ? "XDG_RUNTIME_DIR is not set"
                                : "XDG_RUNTIME_DIR=" + runtimeDir) : "remote " + remote) + ")";
                retryLater();
                return false;
            }
            coreHook.clear();
            coreEvents.setInt(0, PW_VERSION_CORE_EVENTS);
            coreEvents.setPointer(PW_CORE_EVENTS_ERROR, Callbacks.attached(coreError, "capstan-pw-loop"));
            pw_core_add_listener(core, coreHook, coreEvents);
            registry.listen(core);
            problem = null;
        } finally {
            LibPipeWire.pw_thread_loop_unlock(loop);
        }
        LOG.log(System.Logger.Level.DEBUG, "PipeWire backend connected (libpipewire " + version + ")");
        return true;
    }

    /** Loop thread: the daemon closed the connection (it stopped or crashed). */
    private void coreError(Pointer data, int id, int seq, int res, String message) {
        if (id != PW_ID_CORE || res != -EPIPE) {
            return;
        }
        problem = "the connection to PipeWire was lost (" + message + "); reconnecting every "
                + RECONNECT_MILLIS + " ms";
        for (PwCapture c : captures.keySet()) {
            c.deviceGone("the connection to PipeWire was lost while recording " + c.device().id());
        }
        try {
            notifier.execute(this::disconnected);
        } catch (RejectedExecutionException e) {
            // deactivated meanwhile; deactivate() tears the connection down
        }
    }

    /** Events thread: waits for the takes to end, drops the dead connection, tries again later. */
    private void disconnected() {
        for (PwCapture c : List.copyOf(captures.keySet())) {
            c.awaitEnd(TimeUnit.SECONDS.toMillis(10));
        }
        LibPipeWire.pw_thread_loop_lock(loop);
        try {
            disconnectLocked();
        } finally {
            LibPipeWire.pw_thread_loop_unlock(loop);
        }
        listeners.forEach(l -> l.devicesChanged(this));
        retryLater();
    }

    private void retryLater() {
        try {
            notifier.schedule(this::connect, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // deactivated meanwhile
        }
    }

    /** Loop lock held: destroys the proxies and the core; the node list becomes empty. */
    private void disconnectLocked() {
        registry.clear();
        if (core != null) {
            spa_hook_remove(coreHook);
            LibPipeWire.pw_core_disconnect(core);
            core = null;
        }
    }

    /** Loop thread: a device was removed from PipeWire; its takes end. */
    private void deviceRemoved(String name) {
        for (PwCapture c : captures.keySet()) {
            if (c.device().id().equals(name)) {
                c.deviceGone("device " + name + " was removed from PipeWire");
            }
        }
    }

    private void changed() {
        if (deactivated) {
            return;
        }
        try {
            notifier.execute(() -> listeners.forEach(l -> l.devicesChanged(this)));
        } catch (RejectedExecutionException e) {
            // deactivated meanwhile
        }
    }

    // --- CaptureBackend --------------------------------------------------------------------

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
        return registry.devices();
    }

    @Override
    public Optional<String> defaultDeviceId() {
        return Optional.ofNullable(registry.defaultSource());
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public CaptureStream open(Device device, AudioFormat format, FrameSink sink) throws CaptureException {
        if (core == null) {
            throw new CaptureException("the PipeWire backend is not connected: " + problem());
        }
        NodeProps node = registry.find(device.id()).orElseThrow(() -> new CaptureException("PipeWire has no capture device " + device.id() + " now"));
        int[] positions = format.channels() == node.positions().length ? node.positions()
                : FormatPod.defaultPositions(format.channels());
        int number = takeNumber.incrementAndGet();
        int pool = pools.forStream(captures.size());
        // the sink itself is handed on: the drain calls it for every buffer
        PwCapture capture = new PwCapture(node.device(), format, positions, sink, captures::remove, loop, drainer, pool,
                firstDataTimeoutMillis);
        LibPipeWire.pw_thread_loop_lock(loop);
        try {
            capture.connect(core, number);
            captures.put(capture, Boolean.TRUE);
        } finally {
            LibPipeWire.pw_thread_loop_unlock(loop);
        }
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

    /** Ends every capture, then stops the PipeWire loop: no PipeWire thread calls into a stopped bundle. */
    @Deactivate
    void deactivate() throws InterruptedException {
        deactivated = true;
        notifier.shutdownNow();
        notifier.awaitTermination(15, TimeUnit.SECONDS);
        for (PwCapture c : List.copyOf(captures.keySet())) {
            c.stopAndWait(TimeUnit.SECONDS.toMillis(10));
        }
        captures.clear();
        drainer.stop();
        shutdownNative();
    }

    private void shutdownNative() {
        if (loop != null) {
            LibPipeWire.pw_thread_loop_lock(loop);
            try {
                disconnectLocked();
            } finally {
                LibPipeWire.pw_thread_loop_unlock(loop);
            }
            LibPipeWire.pw_thread_loop_stop(loop);
            if (context != null) {
                LibPipeWire.pw_context_destroy(context);
                context = null;
            }
            LibPipeWire.pw_thread_loop_destroy(loop);
            loop = null;
        }
    }
}
