/* Prints the layout facts PwAbi and FormatPod rely on, as NAME=VALUE lines, from the installed headers. */
#include <stdio.h>
#include <stddef.h>
#include <errno.h>
#include <pipewire/pipewire.h>
#include <pipewire/extensions/metadata.h>
#include <spa/param/audio/format-utils.h>
#include <spa/node/io.h>
#define P(name, value) printf("%s=%ld\n", name, (long)(value))
int main(void) {
  P("spa_interface.cb.funcs", offsetof(struct spa_interface, cb.funcs));
  P("spa_interface.cb.data", offsetof(struct spa_interface, cb.data));
  P("sizeof.spa_hook", sizeof(struct spa_hook));
  P("spa_hook.link.next", offsetof(struct spa_hook, link.next));
  P("spa_hook.link.prev", offsetof(struct spa_hook, link.prev));
  P("pw_core_methods.add_listener", offsetof(struct pw_core_methods, add_listener));
  P("pw_core_methods.get_registry", offsetof(struct pw_core_methods, get_registry));
  P("pw_core_events.error", offsetof(struct pw_core_events, error));
  P("sizeof.pw_core_events", sizeof(struct pw_core_events));
  P("PW_VERSION_CORE_EVENTS", PW_VERSION_CORE_EVENTS);
  P("PW_ID_CORE", PW_ID_CORE);
  P("EPIPE", EPIPE);
  P("pw_registry_methods.add_listener", offsetof(struct pw_registry_methods, add_listener));
  P("pw_registry_methods.bind", offsetof(struct pw_registry_methods, bind));
  P("pw_registry_events.global", offsetof(struct pw_registry_events, global));
  P("pw_registry_events.global_remove", offsetof(struct pw_registry_events, global_remove));
  P("sizeof.pw_registry_events", sizeof(struct pw_registry_events));
  P("pw_node_methods.add_listener", offsetof(struct pw_node_methods, add_listener));
  P("pw_node_events.info", offsetof(struct pw_node_events, info));
  P("sizeof.pw_node_events", sizeof(struct pw_node_events));
  P("pw_node_info.change_mask", offsetof(struct pw_node_info, change_mask));
  P("PW_NODE_CHANGE_MASK_PROPS", PW_NODE_CHANGE_MASK_PROPS);
  P("pw_node_info.props", offsetof(struct pw_node_info, props));
  P("pw_metadata_methods.add_listener", offsetof(struct pw_metadata_methods, add_listener));
  P("pw_metadata_events.property", offsetof(struct pw_metadata_events, property));
  P("sizeof.pw_metadata_events", sizeof(struct pw_metadata_events));
  P("spa_dict.n_items", offsetof(struct spa_dict, n_items));
  P("spa_dict.items", offsetof(struct spa_dict, items));
  P("sizeof.spa_dict_item", sizeof(struct spa_dict_item));
  P("pw_stream_events.state_changed", offsetof(struct pw_stream_events, state_changed));
  P("pw_stream_events.add_buffer", offsetof(struct pw_stream_events, add_buffer));
  P("sizeof.pw_stream_events", sizeof(struct pw_stream_events));
  P("pw_buffer.size", offsetof(struct pw_buffer, size));
  P("pw_buffer.buffer", offsetof(struct pw_buffer, buffer));
  P("spa_buffer.n_datas", offsetof(struct spa_buffer, n_datas));
  P("spa_buffer.datas", offsetof(struct spa_buffer, datas));
  P("spa_data.maxsize", offsetof(struct spa_data, maxsize));
  P("spa_data.data", offsetof(struct spa_data, data));
  P("spa_data.chunk", offsetof(struct spa_data, chunk));
  P("spa_chunk.offset", offsetof(struct spa_chunk, offset));
  P("spa_chunk.size", offsetof(struct spa_chunk, size));
  P("pw_time.rate.denom", offsetof(struct pw_time, rate.denom));
  P("pw_time.ticks", offsetof(struct pw_time, ticks));
  P("pw_time.queued", offsetof(struct pw_time, queued));
  P("pw_time.queued_buffers", offsetof(struct pw_time, queued_buffers));
  P("sizeof.pw_time", sizeof(struct pw_time));
  P("PW_VERSION_REGISTRY", PW_VERSION_REGISTRY);
  P("PW_VERSION_NODE", PW_VERSION_NODE);
  P("PW_VERSION_METADATA", PW_VERSION_METADATA);
  P("PW_VERSION_STREAM_EVENTS", PW_VERSION_STREAM_EVENTS);
  P("PW_STREAM_FLAG_AUTOCONNECT", PW_STREAM_FLAG_AUTOCONNECT);
  P("PW_STREAM_FLAG_MAP_BUFFERS", PW_STREAM_FLAG_MAP_BUFFERS);
  P("PW_STREAM_FLAG_RT_PROCESS", PW_STREAM_FLAG_RT_PROCESS);
  P("PW_STREAM_FLAG_DONT_RECONNECT", PW_STREAM_FLAG_DONT_RECONNECT);
  P("SPA_AUDIO_FORMAT_F32_LE", SPA_AUDIO_FORMAT_F32_LE);
  P("SPA_AUDIO_FORMAT_S16_LE", SPA_AUDIO_FORMAT_S16_LE);
  P("SPA_AUDIO_FORMAT_S24_LE", SPA_AUDIO_FORMAT_S24_LE);
  P("SPA_AUDIO_FORMAT_S32_LE", SPA_AUDIO_FORMAT_S32_LE);
  P("SPA_AUDIO_CHANNEL_FL", SPA_AUDIO_CHANNEL_FL);
  P("SPA_AUDIO_CHANNEL_MONO", SPA_AUDIO_CHANNEL_MONO);
  P("SPA_AUDIO_CHANNEL_AUX0", SPA_AUDIO_CHANNEL_AUX0);
  P("SPA_AUDIO_CHANNEL_FC", SPA_AUDIO_CHANNEL_FC);
  P("SPA_AUDIO_CHANNEL_LFE", SPA_AUDIO_CHANNEL_LFE);
  P("SPA_AUDIO_CHANNEL_RR", SPA_AUDIO_CHANNEL_RR);
  P("SPA_AUDIO_CHANNEL_BRC", SPA_AUDIO_CHANNEL_BRC);
  return 0;
}
