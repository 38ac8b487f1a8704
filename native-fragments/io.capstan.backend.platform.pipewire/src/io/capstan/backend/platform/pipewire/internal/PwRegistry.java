package io.capstan.backend.platform.pipewire.internal;

import static io.capstan.backend.platform.pipewire.internal.jna.PwAbi.*;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import io.capstan.api.Device;
import io.capstan.backend.platform.Callbacks;
import io.capstan.backend.platform.NativeMemory;
import io.capstan.backend.platform.pipewire.internal.jna.LibPipeWire;

/**
 * The live view of one PipeWire connection's registry: the capture nodes ({@code Audio/Source*},
 * bound to read their info) and the {@code default} metadata's {@code default.audio.source}.
 * Calls {@code changed} when the device list or the default changes and {@code removed} with the
 * node name of a device that went away.
 *
 * <p>Threading: the listener callbacks and {@link #listen}/{@link #clear} run on the loop thread
 * or with the loop lock held; {@link #devices}, {@link #find} and {@link #defaultSource} read from
 * any thread.
 */
final class PwRegistry {

    /** A capture node and the proxy bound to read its info. */
    private static final class Node {
        final Pointer proxy;
        final Memory hook = NativeMemory.zeroed(SPA_HOOK_SIZE);
        final Memory events = NativeMemory.zeroed(PW_NODE_EVENTS_SIZE);
        final NodeInfo info;
        volatile NodeProps props;

        Node(Pointer proxy, NodeInfo info) {
            this.proxy = proxy;
            this.info = info;
        }
    }

    private final int graphRate;
    private final String backendId;
    private final Runnable changed;
    private final Consumer<String> removed;
    private final Map<Integer, Node> nodes = new ConcurrentHashMap<>();
    // Native objects and callbacks, strongly held while the registry is listened to.
    private final Memory registryHook = NativeMemory.zeroed(SPA_HOOK_SIZE);
    private final Memory registryEvents = NativeMemory.zeroed(PW_REGISTRY_EVENTS_SIZE);
    private final Memory metadataHook = NativeMemory.zeroed(SPA_HOOK_SIZE);
    private final Memory metadataEvents = NativeMemory.zeroed(PW_METADATA_EVENTS_SIZE);
    private final RegistryGlobal global = this::global;
    private final RegistryGlobalRemove globalRemove = this::globalRemove;
    private final MetadataProperty metadataProperty = this::metadataProperty;
    private Pointer registry;
    private Pointer metadata;
    private int metadataId = -1;
    private volatile String defaultSource;

    PwRegistry(int graphRate, String backendId, Runnable changed, Consumer<String> removed) {
        this.graphRate = graphRate;
        this.backendId = backendId;
        this.changed = changed;
        this.removed = removed;
    }

    /** Loop lock held: starts listening to {@code core}'s registry (nodes arrive as globals). */
    void listen(LibPipeWire.Core core) {
        registry = pw_core_get_registry(core);
        registryHook.clear();
        registryEvents.setInt(0, PW_VERSION_REGISTRY_EVENTS);
        registryEvents.setPointer(PW_REGISTRY_EVENTS_GLOBAL, Callbacks.attached(global, "capstan-pw-loop"));
        registryEvents.setPointer(PW_REGISTRY_EVENTS_GLOBAL_REMOVE, Callbacks.attached(globalRemove, "capstan-pw-loop"));
        pw_registry_add_listener(registry, registryHook, registryEvents);
    }

    /** Loop lock held: destroys the proxies; the device list becomes empty. */
    void clear() {
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
    }

    /** @return the capture devices, by id */
    List<Device> devices() {
        return nodes.values().stream().map(n -> n.props).filter(p -> p != null).map(NodeProps::device)
                .sorted(Comparator.comparing(Device::id)).toList();
    }

    /** @return the node whose device has this id (node.name), if listed */
    Optional<NodeProps> find(String deviceId) {
        return nodes.values().stream().map(n -> n.props).filter(p -> p != null && p.device().id().equals(deviceId))
                .findFirst();
    }

    /** @return the node name of the default source, or null when PipeWire names none */
    String defaultSource() {
        return defaultSource;
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
            Node node = new Node(proxy, (d, info) -> nodeInfo(id, info));
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
        Optional<NodeProps> parsed = NodeProps.parse(dict(props), graphRate, backendId);
        NodeProps before = node.props;
        node.props = parsed.orElse(null);
        if (before == null ? node.props != null : node.props == null || !before.device().equals(node.props.device())) {
            changed.run();
        }
    }

    private void globalRemove(Pointer data, int id) {
        Node node = nodes.remove(id);
        if (node != null) {
            spa_hook_remove(node.hook);
            LibPipeWire.pw_proxy_destroy(node.proxy);
            if (node.props != null) {
                removed.accept(node.props.device().id());
                changed.run();
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
                changed.run();
            }
        }
        return 0;
    }
}
