package io.capstan.backend.platform.pipewire.internal;

import static io.capstan.backend.platform.pipewire.internal.jna.PwAbi.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.capstan.api.SampleFormat;

/** Every offset and constant of PwAbi and FormatPod against offsetof/sizeof of the installed headers. */
class PwAbiTest {

    @TempDir
    Path tmp;

    @Test
    void offsetsAndConstantsMatchTheHeaders() throws IOException, InterruptedException {
        Map<String, Long> c = NativeHeaders.values(NativeHeaders.output(List.of(
                NativeHeaders.compile("pw-layout", tmp).toString())));
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("spa_interface.cb.funcs", (long) SPA_INTERFACE_CB_FUNCS);
        java.put("spa_interface.cb.data", (long) SPA_INTERFACE_CB_DATA);
        java.put("sizeof.spa_hook", (long) SPA_HOOK_SIZE);
        java.put("spa_hook.link.next", (long) SPA_HOOK_LINK_NEXT);
        java.put("spa_hook.link.prev", (long) SPA_HOOK_LINK_PREV);
        java.put("pw_core_methods.add_listener", (long) PW_CORE_METHODS_ADD_LISTENER);
        java.put("pw_core_methods.get_registry", (long) PW_CORE_METHODS_GET_REGISTRY);
        java.put("pw_core_events.error", (long) PW_CORE_EVENTS_ERROR);
        java.put("sizeof.pw_core_events", (long) PW_CORE_EVENTS_SIZE);
        java.put("PW_VERSION_CORE_EVENTS", (long) PW_VERSION_CORE_EVENTS);
        java.put("PW_ID_CORE", (long) PW_ID_CORE);
        java.put("EPIPE", (long) EPIPE);
        java.put("pw_registry_methods.add_listener", (long) PW_REGISTRY_METHODS_ADD_LISTENER);
        java.put("pw_registry_methods.bind", (long) PW_REGISTRY_METHODS_BIND);
        java.put("pw_registry_events.global", (long) PW_REGISTRY_EVENTS_GLOBAL);
        java.put("pw_registry_events.global_remove", (long) PW_REGISTRY_EVENTS_GLOBAL_REMOVE);
        java.put("sizeof.pw_registry_events", (long) PW_REGISTRY_EVENTS_SIZE);
        java.put("pw_node_methods.add_listener", (long) PW_NODE_METHODS_ADD_LISTENER);
        java.put("pw_node_events.info", (long) PW_NODE_EVENTS_INFO);
        java.put("sizeof.pw_node_events", (long) PW_NODE_EVENTS_SIZE);
        java.put("pw_node_info.change_mask", (long) PW_NODE_INFO_CHANGE_MASK);
        java.put("PW_NODE_CHANGE_MASK_PROPS", PW_NODE_CHANGE_MASK_PROPS);
        java.put("pw_node_info.props", (long) PW_NODE_INFO_PROPS);
        java.put("pw_metadata_methods.add_listener", (long) PW_METADATA_METHODS_ADD_LISTENER);
        java.put("pw_metadata_events.property", (long) PW_METADATA_EVENTS_PROPERTY);
        java.put("sizeof.pw_metadata_events", (long) PW_METADATA_EVENTS_SIZE);
        java.put("spa_dict.n_items", (long) SPA_DICT_N_ITEMS);
        java.put("spa_dict.items", (long) SPA_DICT_ITEMS);
        java.put("sizeof.spa_dict_item", (long) SPA_DICT_ITEM_SIZE);
        java.put("pw_stream_events.state_changed", (long) PW_STREAM_EVENTS_STATE_CHANGED);
        java.put("pw_stream_events.add_buffer", (long) PW_STREAM_EVENTS_ADD_BUFFER);
        java.put("sizeof.pw_stream_events", (long) PW_STREAM_EVENTS_SIZE);
        java.put("pw_buffer.size", (long) PW_BUFFER_SIZE);
        java.put("pw_buffer.buffer", (long) PW_BUFFER_BUFFER);
        java.put("spa_buffer.n_datas", (long) SPA_BUFFER_N_DATAS);
        java.put("spa_buffer.datas", (long) SPA_BUFFER_DATAS);
        java.put("spa_data.maxsize", (long) SPA_DATA_MAXSIZE);
        java.put("spa_data.data", (long) SPA_DATA_DATA);
        java.put("spa_data.chunk", (long) SPA_DATA_CHUNK);
        java.put("spa_chunk.offset", (long) SPA_CHUNK_OFFSET);
        java.put("spa_chunk.size", (long) SPA_CHUNK_SIZE);
        java.put("pw_time.rate.denom", (long) PW_TIME_RATE_DENOM);
        java.put("pw_time.ticks", (long) PW_TIME_TICKS);
        java.put("pw_time.queued", (long) PW_TIME_QUEUED);
        java.put("pw_time.queued_buffers", (long) PW_TIME_QUEUED_BUFFERS);
        java.put("sizeof.pw_time", (long) PW_TIME_SIZE);
        java.put("PW_VERSION_REGISTRY", (long) PW_VERSION_REGISTRY);
        java.put("PW_VERSION_NODE", (long) PW_VERSION_NODE);
        java.put("PW_VERSION_METADATA", (long) PW_VERSION_METADATA);
        java.put("PW_VERSION_STREAM_EVENTS", (long) PW_VERSION_STREAM_EVENTS);
        java.put("PW_STREAM_FLAG_AUTOCONNECT", (long) PW_STREAM_FLAG_AUTOCONNECT);
        java.put("PW_STREAM_FLAG_MAP_BUFFERS", (long) PW_STREAM_FLAG_MAP_BUFFERS);
        java.put("PW_STREAM_FLAG_RT_PROCESS", (long) PW_STREAM_FLAG_RT_PROCESS);
        java.put("PW_STREAM_FLAG_DONT_RECONNECT", (long) PW_STREAM_FLAG_DONT_RECONNECT);
        java.put("SPA_AUDIO_FORMAT_F32_LE", (long) FormatPod.SPA_AUDIO_FORMAT.get(SampleFormat.F32_LE));
        java.put("SPA_AUDIO_FORMAT_S16_LE", (long) FormatPod.SPA_AUDIO_FORMAT.get(SampleFormat.S16_LE));
        java.put("SPA_AUDIO_FORMAT_S24_LE", (long) FormatPod.SPA_AUDIO_FORMAT.get(SampleFormat.S24_LE));
        java.put("SPA_AUDIO_FORMAT_S32_LE", (long) FormatPod.SPA_AUDIO_FORMAT.get(SampleFormat.S32_LE));
        java.put("SPA_AUDIO_CHANNEL_FL", (long) FormatPod.channelId("FL"));
        java.put("SPA_AUDIO_CHANNEL_MONO", (long) FormatPod.channelId("MONO"));
        java.put("SPA_AUDIO_CHANNEL_AUX0", (long) FormatPod.channelId("AUX0"));
        java.put("SPA_AUDIO_CHANNEL_FC", (long) FormatPod.channelId("FC"));
        java.put("SPA_AUDIO_CHANNEL_LFE", (long) FormatPod.channelId("LFE"));
        java.put("SPA_AUDIO_CHANNEL_RR", (long) FormatPod.channelId("RR"));
        java.put("SPA_AUDIO_CHANNEL_BRC", (long) FormatPod.channelId("BRC"));

        assertEquals(java.keySet(), c.keySet(), "the C program and this test must check the same facts");
        for (var e : java.entrySet()) {
            assertEquals(c.get(e.getKey()), e.getValue(), e.getKey());
        }
        assertTrue(PW_ID_ANY == -1, "PW_ID_ANY is 0xffffffff");
    }
}
