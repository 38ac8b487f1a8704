package io.capstan.backend.platform.pipewire.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.capstan.api.AudioFormat;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

/**
 * A PipeWire capture node as Capstan sees it, read from the node's info properties:
 * {@code node.name} (the id), {@code node.description}, {@code media.class} (must start with
 * {@code Audio/Source}, virtual ones included), {@code audio.channels}, {@code audio.rate},
 * {@code audio.position}. Where a node states no rate or channels, the graph rate and stereo are
 * assumed (the node's EnumFormat params are not read).
 *
 * @param device    the device offered
 * @param positions its channel positions ({@code enum spa_audio_channel}), one per channel
 */
record NodeProps(Device device, int[] positions) {

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** @return the capture node these properties describe, or empty when it is not one */
    static Optional<NodeProps> parse(Map<String, String> props, int graphRate, String backend) {
        String mediaClass = props.get("media.class");
        String name = props.get("node.name");
        if (mediaClass == null || !mediaClass.startsWith("Audio/Source") || name == null || name.isBlank()) {
            return Optional.empty();
        }
        int[] positions = positions(props.get("audio.position"));
        int channels = integer(props.get("audio.channels"), positions.length > 0 ? positions.length : 2);
        if (channels < 1 || channels > AudioFormat.MAX_CHANNELS) {
            return Optional.empty();
        }
        if (positions.length != channels) {
            positions = FormatPod.defaultPositions(channels);
        }
        int rate = integer(props.get("audio.rate"), graphRate);
        AudioFormat format = new AudioFormat(rate, channels, SampleFormat.F32_LE);
        List<String> names = java.util.Arrays.stream(positions).mapToObj(FormatPod::channelName).toList();
        return Optional.of(new NodeProps(new Device(name, props.get("node.description"), format, backend, names),
                positions));
    }

    /** Parses {@code "[FL FR]"} or {@code "FL,FR"}; empty when absent or unknown. */
    static int[] positions(String text) {
        if (text == null) {
            return new int[0];
        }
        List<Integer> ids = new ArrayList<>();
        for (String part : text.replace("[", " ").replace("]", " ").split("[\\s,]+")) {
            if (part.isBlank()) {
                continue;
            }
            int id = FormatPod.channelId(part);
            if (id < 0) {
                return new int[0];
            }
            ids.add(id);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** @return the node name in a {@code default.audio.source} value ({@code {"name":"..."}}) */
    static Optional<String> defaultName(String json) {
        if (json == null) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(json);
        return m.find() ? Optional.of(m.group(1).replace("\\\"", "\"").replace("\\\\", "\\")) : Optional.empty();
    }

    private static int integer(String text, int otherwise) {
        if (text == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
