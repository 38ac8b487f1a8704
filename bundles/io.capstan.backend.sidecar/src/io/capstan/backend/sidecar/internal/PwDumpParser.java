package io.capstan.backend.sidecar.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.capstan.api.AudioFormat;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

/**
 * Reads the capture devices out of {@code pw-dump} output: a JSON array of PipeWire objects, of
 * which the nodes ({@code "type": "PipeWire:Interface:Node"}) whose {@code media.class} starts
 * with {@code Audio/Source} are capture devices. Device id = {@code node.name}; channels from
 * {@code audio.channels}, the negotiated/enumerated format, or {@code audio.position}; rate from
 * {@code audio.rate}, the format, or the graph's {@code clock.rate} (settings metadata).
 */
final class PwDumpParser {

    /** Rate assumed when neither the node nor the settings metadata names one, in Hz. */
    static final int FALLBACK_RATE = 48_000;

    private final ObjectMapper mapper = new ObjectMapper();
    private final String backendId;

    PwDumpParser(String backendId) {
        this.backendId = backendId;
    }

    /** @throws IOException when the text is not a pw-dump JSON array */
    List<Device> parse(String json) throws IOException {
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isArray()) {
            throw new IOException("pw-dump did not print a JSON array");
        }
        int graphRate = graphRate(root);
        List<Device> devices = new ArrayList<>();
        for (JsonNode object : root) {
            if (!"PipeWire:Interface:Node".equals(object.path("type").asText())) {
                continue;
            }
            JsonNode props = object.path("info").path("props");
            String mediaClass = props.path("media.class").asText("");
            String name = props.path("node.name").asText("");
            if (!mediaClass.startsWith("Audio/Source") || name.isEmpty()) {
                continue;
            }
            JsonNode format = firstFormat(object.path("info").path("params"));
            int channels = firstPositive(props.path("audio.channels").asInt(0),
                    number(format.path("channels")), positions(props.path("audio.position")), 2);
            int rate = firstPositive(props.path("audio.rate").asInt(0), number(format.path("rate")), graphRate,
                    FALLBACK_RATE);
            String description = firstText(props, "node.description", "node.nick", "node.name");
            devices.add(new Device(name, description, new AudioFormat(rate, channels, SampleFormat.F32_LE),
                    backendId));
        }
        return devices;
    }

    private static JsonNode firstFormat(JsonNode params) {
        for (String key : new String[] { "Format", "EnumFormat" }) {
            JsonNode list = params.path(key);
            if (list.isArray() && !list.isEmpty()) {
                return list.get(0);
            }
        }
        return params.path("none");
    }

    /** A SPA value: a number, or a choice/range object whose {@code default} is taken. */
    private static int number(JsonNode value) {
        return value.isObject() ? value.path("default").asInt(0) : value.asInt(0);
    }

    private static int positions(JsonNode position) {
        if (position.isArray()) {
            return position.size();
        }
        String text = position.asText("").replaceAll("[\\[\\]\\s]", " ").trim();
        return text.isEmpty() ? 0 : text.split("[ ,]+").length;
    }

    private static int graphRate(JsonNode root) {
        for (JsonNode object : root) {
            if (!"PipeWire:Interface:Metadata".equals(object.path("type").asText())
                    || !"settings".equals(object.path("props").path("metadata.name").asText())) {
                continue;
            }
            for (JsonNode entry : object.path("metadata")) {
                if ("clock.rate".equals(entry.path("key").asText())) {
                    return entry.path("value").asInt(0);
                }
            }
        }
        return 0;
    }

    private static int firstPositive(int... values) {
        for (int v : values) {
            if (v > 0) {
                return v;
            }
        }
        return 0;
    }

    private static String firstText(JsonNode props, String... keys) {
        for (String key : keys) {
            String v = props.path(key).asText("");
            if (!v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
