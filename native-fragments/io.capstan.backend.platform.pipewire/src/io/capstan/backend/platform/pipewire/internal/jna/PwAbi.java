package io.capstan.backend.platform.pipewire.internal.jna;

import com.sun.jna.Callback;
import com.sun.jna.Function;
import com.sun.jna.Pointer;

/**
 * Every layout fact of libpipewire-0.3 / SPA that Capstan relies on, in one place: struct
 * offsets, constants, and the {@code static inline} method calls of the headers, which go
 * through {@code struct spa_interface} (a method table and its data pointer) and are compiled into
 * every client, so their layout is frozen ABI. Values for x86_64/aarch64 (LP64), from PipeWire
 * 0.3 headers; {@code PwAbiTest} checks each one against {@code offsetof}/{@code sizeof} of the
 * installed headers.
 */
public final class PwAbi {

    private PwAbi() {
    }

    // --- struct spa_interface { const char *type; uint32_t version; struct spa_callbacks cb { funcs; data } }
    public static final int SPA_INTERFACE_CB_FUNCS = 16;
    public static final int SPA_INTERFACE_CB_DATA = 24;
    /** sizeof(struct spa_hook): zeroed storage PipeWire links into its listener lists. */
    public static final int SPA_HOOK_SIZE = 48;
    /** {@code struct spa_hook { struct spa_list link { next; prev; } ... }} */
    public static final int SPA_HOOK_LINK_NEXT = 0;
    public static final int SPA_HOOK_LINK_PREV = 8;

    // --- method tables (first field uint32_t version, then function pointers)
    public static final int PW_CORE_METHODS_ADD_LISTENER = 8;
    public static final int PW_CORE_METHODS_GET_REGISTRY = 48;
    public static final int PW_REGISTRY_METHODS_ADD_LISTENER = 8;
    public static final int PW_REGISTRY_METHODS_BIND = 16;
    public static final int PW_NODE_METHODS_ADD_LISTENER = 8;
    public static final int PW_METADATA_METHODS_ADD_LISTENER = 8;

    // --- event tables we fill in (uint32_t version, then function pointers)
    public static final int PW_CORE_EVENTS_ERROR = 32;
    public static final int PW_CORE_EVENTS_SIZE = 72;
    public static final int PW_REGISTRY_EVENTS_GLOBAL = 8;
    public static final int PW_REGISTRY_EVENTS_GLOBAL_REMOVE = 16;
    public static final int PW_REGISTRY_EVENTS_SIZE = 24;
    public static final int PW_NODE_EVENTS_INFO = 8;
    public static final int PW_NODE_EVENTS_SIZE = 24;
    public static final int PW_METADATA_EVENTS_PROPERTY = 8;
    public static final int PW_METADATA_EVENTS_SIZE = 16;
    public static final int PW_STREAM_EVENTS_STATE_CHANGED = 16;
    public static final int PW_STREAM_EVENTS_ADD_BUFFER = 48;
    public static final int PW_STREAM_EVENTS_SIZE = 96;

    // --- data structs we read
    public static final int PW_NODE_INFO_CHANGE_MASK = 16;
    public static final int PW_NODE_INFO_PROPS = 48;
    /** {@code PW_NODE_CHANGE_MASK_PROPS}: this info event carries the node's properties. */
    public static final long PW_NODE_CHANGE_MASK_PROPS = 1 << 3;
    public static final int SPA_DICT_N_ITEMS = 4;
    public static final int SPA_DICT_ITEMS = 8;
    public static final int SPA_DICT_ITEM_SIZE = 16;
    public static final int PW_BUFFER_BUFFER = 0;
    /** {@code pw_buffer.size}: set by the user; the stream sums it into its queue counters. */
    public static final int PW_BUFFER_SIZE = 16;
    public static final int SPA_BUFFER_N_DATAS = 4;
    public static final int SPA_BUFFER_DATAS = 16;
    public static final int SPA_DATA_MAXSIZE = 20;
    public static final int SPA_DATA_DATA = 24;
    public static final int SPA_DATA_CHUNK = 32;
    public static final int SPA_CHUNK_OFFSET = 0;
    public static final int SPA_CHUNK_SIZE = 4;
    /** {@code struct pw_time}: rate is a {@code struct spa_fraction} (num, denom). */
    public static final int PW_TIME_RATE_DENOM = 12;
    public static final int PW_TIME_TICKS = 16;
    public static final int PW_TIME_QUEUED = 32;
    public static final int PW_TIME_QUEUED_BUFFERS = 48;
    public static final int PW_TIME_SIZE = 56;

    // --- constants
    public static final int PW_VERSION_REGISTRY = 3;
    public static final int PW_VERSION_NODE = 3;
    public static final int PW_VERSION_METADATA = 3;
    public static final int PW_VERSION_CORE_EVENTS = 0;
    public static final int PW_VERSION_REGISTRY_EVENTS = 0;
    /** {@code PW_ID_CORE}: the id of the core object; an error on it concerns the connection. */
    public static final int PW_ID_CORE = 0;
    /** {@code EPIPE} (Linux): the daemon closed the connection. */
    public static final int EPIPE = 32;
    public static final int PW_VERSION_NODE_EVENTS = 0;
    public static final int PW_VERSION_METADATA_EVENTS = 0;
    public static final int PW_VERSION_STREAM_EVENTS = 2;
    public static final int PW_ID_ANY = 0xffffffff;
    public static final int PW_DIRECTION_INPUT = 0;
    public static final int PW_STREAM_FLAG_AUTOCONNECT = 1;
    public static final int PW_STREAM_FLAG_MAP_BUFFERS = 4;
    public static final int PW_STREAM_FLAG_RT_PROCESS = 16;
    public static final int PW_STREAM_FLAG_DONT_RECONNECT = 128;
    public static final int PW_STREAM_STATE_ERROR = -1;
    public static final int PW_STREAM_STATE_UNCONNECTED = 0;
    public static final int PW_STREAM_STATE_STREAMING = 3;
    public static final String PW_TYPE_INTERFACE_NODE = "PipeWire:Interface:Node";
    public static final String PW_TYPE_INTERFACE_METADATA = "PipeWire:Interface:Metadata";

    /** {@code error(void *data, uint32_t id, int seq, int res, const char *message)} */
    public interface CoreError extends Callback {
        void invoke(Pointer data, int id, int seq, int res, String message);
    }

    /** {@code global(void *data, uint32_t id, uint32_t permissions, const char *type, uint32_t version, const struct spa_dict *props)} */
    public interface RegistryGlobal extends Callback {
        void invoke(Pointer data, int id, int permissions, String type, int version, Pointer props);
    }

    /** {@code global_remove(void *data, uint32_t id)} */
    public interface RegistryGlobalRemove extends Callback {
        void invoke(Pointer data, int id);
    }

    /** {@code info(void *data, const struct pw_node_info *info)} */
    public interface NodeInfo extends Callback {
        void invoke(Pointer data, Pointer info);
    }

    /** {@code int property(void *data, uint32_t subject, const char *key, const char *type, const char *value)}; key null = all cleared */
    public interface MetadataProperty extends Callback {
        int invoke(Pointer data, int subject, String key, String type, String value);
    }

    /** {@code state_changed(void *data, enum pw_stream_state old, enum pw_stream_state state, const char *error)} */
    public interface StreamStateChanged extends Callback {
        void invoke(Pointer data, int old, int state, String error);
    }

    /** {@code add_buffer(void *data, struct pw_buffer *buffer)}: a buffer joined the stream's pool (loop thread) */
    public interface StreamAddBuffer extends Callback {
        void invoke(Pointer data, Pointer buffer);
    }

    /** {@code pw_core_get_registry(core, version, user_data_size)}: @return the registry proxy */
    public static Pointer pw_core_get_registry(LibPipeWire.Core core) {
        return method(core.getPointer(), PW_CORE_METHODS_GET_REGISTRY).invokePointer(
                new Object[] { data(core.getPointer()), PW_VERSION_REGISTRY, 0L });
    }

    /** {@code pw_core_add_listener(core, hook, events, data)} */
    public static int pw_core_add_listener(LibPipeWire.Core core, Pointer hook, Pointer events) {
        return method(core.getPointer(), PW_CORE_METHODS_ADD_LISTENER).invokeInt(
                new Object[] { data(core.getPointer()), hook, events, null });
    }

    /** {@code pw_registry_add_listener(registry, hook, events, data)} */
    public static int pw_registry_add_listener(Pointer registry, Pointer hook, Pointer events) {
        return method(registry, PW_REGISTRY_METHODS_ADD_LISTENER).invokeInt(
                new Object[] { data(registry), hook, events, null });
    }

    /** {@code pw_registry_bind(registry, id, type, version, user_data_size)}: @return the new proxy */
    public static Pointer pw_registry_bind(Pointer registry, int id, String type, int version) {
        return method(registry, PW_REGISTRY_METHODS_BIND).invokePointer(
                new Object[] { data(registry), id, type, version, 0L });
    }

    /** {@code pw_node_add_listener(node, hook, events, data)} */
    public static int pw_node_add_listener(Pointer node, Pointer hook, Pointer events) {
        return method(node, PW_NODE_METHODS_ADD_LISTENER).invokeInt(new Object[] { data(node), hook, events, null });
    }

    /** {@code pw_metadata_add_listener(metadata, hook, events, data)} */
    public static int pw_metadata_add_listener(Pointer metadata, Pointer hook, Pointer events) {
        return method(metadata, PW_METADATA_METHODS_ADD_LISTENER).invokeInt(
                new Object[] { data(metadata), hook, events, null });
    }

    /**
     * {@code spa_hook_remove(hook)} of {@code <spa/utils/hook.h>} (inline): unlinks the hook from
     * the list it is in ({@code struct spa_list link} = next at 0, prev at 8), so that the list no
     * longer points at memory Java may free. Our hooks have no {@code removed} callback.
     */
    public static void spa_hook_remove(Pointer hook) {
        Pointer next = hook.getPointer(SPA_HOOK_LINK_NEXT);
        Pointer prev = hook.getPointer(SPA_HOOK_LINK_PREV);
        if (next == null || prev == null) {
            return; // never linked
        }
        prev.setPointer(SPA_HOOK_LINK_NEXT, next);
        next.setPointer(SPA_HOOK_LINK_PREV, prev);
        hook.setPointer(SPA_HOOK_LINK_NEXT, null);
        hook.setPointer(SPA_HOOK_LINK_PREV, null);
    }

    private static Pointer data(Pointer iface) {
        return iface.getPointer(SPA_INTERFACE_CB_DATA);
    }

    private static Function method(Pointer iface, int offset) {
        Pointer funcs = iface.getPointer(SPA_INTERFACE_CB_FUNCS);
        Pointer fn = funcs == null ? null : funcs.getPointer(offset);
        if (fn == null) {
            throw new IllegalStateException("spa_interface method at offset " + offset + " is not implemented");
        }
        return Function.getFunction(fn);
    }

    /** Reads a {@code struct spa_dict *} into key/value pairs. */
    public static java.util.Map<String, String> dict(Pointer dict) {
        java.util.Map<String, String> map = new java.util.LinkedHashMap<>();
        if (dict == null) {
            return map;
        }
        int n = dict.getInt(SPA_DICT_N_ITEMS);
        Pointer items = dict.getPointer(SPA_DICT_ITEMS);
        for (int i = 0; i < n && items != null; i++) {
            Pointer key = items.getPointer((long) i * SPA_DICT_ITEM_SIZE);
            Pointer value = items.getPointer((long) i * SPA_DICT_ITEM_SIZE + 8);
            if (key != null) {
                map.put(key.getString(0), value == null ? null : value.getString(0));
            }
        }
        return map;
    }
}
