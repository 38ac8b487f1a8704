package io.capstan.backend.platform.pipewire.internal;

import static io.capstan.backend.platform.pipewire.internal.jna.PwAbi.*;

import java.util.Comparator;
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
 * PipeWire in process through libpipewire-0.3: a registry listener keeps the capture nodes live
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

        @AttributeDefinition(description = "Milliseconds of audio the buffer between the real-time thread and storage holds")
        int ringMillis() default 2000;

        @AttributeDefinition(description = "Longest wait for the first audio of a take, in ms")
        long firstDataTimeoutMillis() default 5000;

        @AttributeDefinition(description = "How often the drain thread moves captured audio into storage, in ms"
                + " (below ringMillis)")
        int drainIntervalMillis() default DEFAULT_DRAIN_MILLIS;
    }

    /** Drain period: 25 passes a second, each well inside the default 2 s ring. */
    static final int DEFAULT_DRAIN_MILLIS = 40;

    /** A capture node and the proxy bound to read its info. */
    private static final class Node {
        final int globalId;
        final Pointer proxy;
        final Memory hook = NativeMemory.zeroed(SPA_HOOK_SIZE);
        final Memory events = NativeMemory.zeroed(PW_NODE_EVENTS_SIZE);
        final NodeInfo info;
        volatile NodeProps props;

        Node(int globalId, Pointer proxy, NodeInfo info) {
            this.globalId = globalId;
            this.proxy = proxy;
            this.info = info;
        }
    }

    private final String remote;
    private final int ringMillis;
    private final long firstDataTimeoutMillis;
    private final PwDrainer drainer;
    private final List<DeviceListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, Node> nodes = new ConcurrentHashMap<>();
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
    private final Memory registryHook = NativeMemory.zeroed(SPA_HOOK_SIZE);
    private final Memory registryEvents = NativeMemory.zeroed(PW_REGISTRY_EVENTS_SIZE);
    private final Memory metadataHook = NativeMemory.zeroed(SPA_HOOK_SIZE);
    private final Memory metadataEvents = NativeMemory.zeroed(PW_METADATA_EVENTS_SIZE);
    private final RegistryGlobal global = this::global;
    private final RegistryGlobalRemove globalRemove = this::globalRemove;
    private final MetadataProperty metadataProperty = this::metadataProperty;
    private LibPipeWire.ThreadLoop loop;
    private LibPipeWire.Context context;
    private LibPipeWire.Core core;
    private Pointer registry;
    private Pointer metadata;
    private int metadataId = -1;
    private volatile String defaultSource;
    private volatile String problem;
    private volatile String version;
    private volatile boolean deactivated;
    private static final long RECONNECT_MILLIS = 2000;

    @Activate
    public PipeWireBackend(Config config) {
        this(config.remote(), config.ringMillis(), config.firstDataTimeoutMillis(),
                Math.max(1, Math.min(config.drainIntervalMillis(), config.ringMillis() / 4)));
    }

    /** For tests: connects to {@code remote} (empty: the environment's PipeWire). */
    PipeWireBackend(String remote, int ringMillis, long firstDataTimeoutMillis) {
        this(remote, ringMillis, firstDataTimeoutMillis, Math.max(1, Math.min(DEFAULT_DRAIN_MILLIS, ringMillis / 4)));
    }

    private PipeWireBackend(String remote, int ringMillis, long firstDataTimeoutMillis, int drainMillis) {
        this.remote = remote;
        this.ringMillis = ringMillis;
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
        context = LibPipeWire.pw_context_new(LibPipeWire.pw_thread_loop_get_loop(loop), null, 0);
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
            registry = pw_core_get_registry(core);
            registryHook.clear();
            registryEvents.setInt(0, PW_VERSION_REGISTRY_EVENTS);
            registryEvents.setPointer(PW_REGISTRY_EVENTS_GLOBAL, Callbacks.attached(global, "capstan-pw-loop"));
            registryEvents.setPointer(PW_REGISTRY_EVENTS_GLOBAL_REMOVE,
                    Callbacks.attached(globalRemove, "capstan-pw-loop"));
            pw_registry_add_listener(registry, registryHook, registryEvents);
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
        for (Node n : nodes.values()) {
            spa_hook_remove(n.hook);
            LibPipeWire.pw_proxy_destroy(n.proxy);
        }
        nodes.clear();
        if (metadata != null) {
            spa_hook_remove(metadataHook);
            LibPipeWire.pw_proxy_destroy(metadata);
            metadata = null;
            metadataId = -1;
        }
        defaultSource = null;
        if (registry != null) {
            spa_hook_remove(registryHook);
            LibPipeWire.pw_proxy_destroy(registry);
            registry = null;
        }
        if (core != null) {
            spa_hook_remove(coreHook);
            LibPipeWire.pw_core_disconnect(core);
            core = null;
        }
    }

    // --- loop thread -----------------------------------------------------------------------

    private void global(Pointer data, int id, int permissions, String type, int version, Pointer props) {
        if (PW_TYPE_INTERFACE_NODE.equals(type)) {
            Map<String, String> p = dict(props);
            String mediaClass = p.get("media.class");
            if (mediaClass == null || !mediaClass.startsWith("Audio/Source")) {
                return;
            }
            Pointer proxy = pw_registry_bind(registry, id, PW_TYPE_INTERFACE_NODE, PW_VERSION_NODE);
            if (proxy == null) {
                return;
            }
            Node node = new Node(id, proxy, (d, info) -> nodeInfo(id, info));
            node.events.setInt(0, PW_VERSION_NODE_EVENTS);
            node.events.setPointer(PW_NODE_EVENTS_INFO, Callbacks.attached(node.info, "capstan-pw-loop"));
            nodes.put(id, node);
            pw_node_add_listener(proxy, node.hook, node.events);
        } else if (PW_TYPE_INTERFACE_METADATA.equals(type) && metadata == null
                && "default".equals(dict(props).get("metadata.name"))) {
            metadata = pw_registry_bind(registry, id, PW_TYPE_INTERFACE_METADATA, PW_VERSION_METADATA);
            if (metadata != null) {
                metadataId = id;
                metadataEvents.setInt(0, PW_VERSION_METADATA_EVENTS);
                metadataEvents.setPointer(PW_METADATA_EVENTS_PROPERTY,
                        Callbacks.attached(metadataProperty, "capstan-pw-loop"));
                pw_metadata_add_listener(metadata, metadataHook, metadataEvents);
            }
        }
    }

    private void nodeInfo(int id, Pointer info) {
        Node node = nodes.get(id);
        if (node == null || info == null) {
            return;
        }
        // Later info events repeat only what changed (state, ports): an empty props dict then
        // means "unchanged", not "no properties".
        if ((info.getLong(PW_NODE_INFO_CHANGE_MASK) & PW_NODE_CHANGE_MASK_PROPS) == 0) {
            return;
        }
        Pointer props = info.getPointer(PW_NODE_INFO_PROPS);
        if (props == null) {
            return;
        }
        Optional<NodeProps> parsed = NodeProps.parse(dict(props), GRAPH_RATE, ID);
        NodeProps before = node.props;
        node.props = parsed.orElse(null);
        if (before == null ? node.props != null : node.props == null || !before.device().equals(node.props.device())) {
            changed();
        }
    }

    private void globalRemove(Pointer data, int id) {
        Node node = nodes.remove(id);
        if (node != null) {
            spa_hook_remove(node.hook);
            LibPipeWire.pw_proxy_destroy(node.proxy);
            if (node.props != null) {
                String name = node.props.device().id();
                for (PwCapture c : captures.keySet()) {
                    if (c.device().id().equals(name)) {
                        c.deviceGone("device " + name + " was removed from PipeWire");
                    }
                }
                changed();
            }
        } else if (id == metadataId) {
            spa_hook_remove(metadataHook);
            LibPipeWire.pw_proxy_destroy(metadata);
            metadata = null;
            metadataId = -1;
            defaultSource = null;
        }
    }

    private int metadataProperty(Pointer data, int subject, String key, String type, String value) {
        if (key == null || "default.audio.source".equals(key)) {
            String before = defaultSource;
            defaultSource = key == null ? null : NodeProps.defaultName(value).orElse(null);
            if (before == null ? defaultSource != null : !before.equals(defaultSource)) {
                LOG.log(System.Logger.Level.DEBUG, "default source is now " + defaultSource);
                changed();
            }
        }
        return 0;
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
        return nodes.values().stream().map(n -> n.props).filter(p -> p != null).map(NodeProps::device)
                .sorted(Comparator.comparing(Device::id)).toList();
    }

    @Override
    public Optional<String> defaultDeviceId() {
        return Optional.ofNullable(defaultSource);
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
        NodeProps node = nodes.values().stream().map(n -> n.props)
                .filter(p -> p != null && p.device().id().equals(device.id())).findFirst()
                .orElseThrow(() -> new CaptureException("PipeWire has no capture device " + device.id() + " now"));
        int[] positions = format.channels() == node.positions().length ? node.positions()
                : FormatPod.defaultPositions(format.channels());
        int number = takeNumber.incrementAndGet();
        PwCapture capture = new PwCapture(node.device(), format, positions, new FrameSink() {
            @Override
            public boolean write(java.nio.ByteBuffer frames) {
                return sink.write(frames);
            }

            @Override
            public void gap(String kind, long takeFrame, long frames) {
                sink.gap(kind, takeFrame, frames);
            }

            @Override
            public void end(CaptureException failure) {
                captures.keySet().removeIf(c -> c.isEnded());
                sink.end(failure);
            }
        }, loop, drainer, ringMillis, firstDataTimeoutMillis);
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
