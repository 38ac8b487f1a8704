package io.capstan.backend.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

class PwDumpParserTest {

    private final PwDumpParser parser = new PwDumpParser("sidecar");

    private static String resource(String name) throws IOException {
        try (InputStream in = PwDumpParserTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** pw-dump of a private PipeWire with one virtual source (tools/pw-sandbox) and its feeder stream. */
    @Test
    void parsesVirtualSourceAndIgnoresStreamsAndDrivers() throws IOException {
        List<Device> devices = parser.parse(resource("pw-dump-virtual-source.json"));
        assertEquals(List.of(new Device("capstan-tone", "capstan-tone",
                new AudioFormat(48_000, 2, SampleFormat.F32_LE), "sidecar")), devices.stream()
                        .map(d -> new Device(d.id(), d.id(), d.nativeFormat(), d.backend())).toList());
    }

    @Test
    void takesChannelsFromEnumFormatWhenPropsLackThem() throws IOException {
        String json = """
                [{"id": 40, "type": "PipeWire:Interface:Node", "info": {
                  "props": {"media.class": "Audio/Source", "node.name": "alsa_input.usb-mic", "node.description": "USB Mic"},
                  "params": {"EnumFormat": [{"channels": 4, "rate": {"default": 44100, "min": 1, "max": 192000}}],
                             "Format": []}}}]
                """;
        Device d = parser.parse(json).get(0);
        assertEquals("alsa_input.usb-mic", d.id());
        assertEquals("USB Mic", d.description());
        assertEquals(new AudioFormat(44_100, 4, SampleFormat.F32_LE), d.nativeFormat());
    }

    @Test
    void takesChannelsFromPositionsAndRateFromGraphClock() throws IOException {
        String json = """
                [{"id": 31, "type": "PipeWire:Interface:Metadata", "props": {"metadata.name": "settings"},
                  "metadata": [{"subject": 0, "key": "clock.rate", "type": "", "value": 96000}]},
                 {"id": 41, "type": "PipeWire:Interface:Node", "info": {
                  "props": {"media.class": "Audio/Source/Virtual", "node.name": "v", "audio.position": "[FL FR FC]"},
                  "params": {}}}]
                """;
        assertEquals(new AudioFormat(96_000, 3, SampleFormat.F32_LE), parser.parse(json).get(0).nativeFormat());
    }

    @Test
    void ignoresSinksAndNodesWithoutName() throws IOException {
        String json = """
                [{"id": 1, "type": "PipeWire:Interface:Node", "info": {"props": {"media.class": "Audio/Sink", "node.name": "out"}}},
                 {"id": 2, "type": "PipeWire:Interface:Node", "info": {"props": {"media.class": "Audio/Source"}}}]
                """;
        assertEquals(List.of(), parser.parse(json));
    }

    @Test
    void rejectsOutputThatIsNotAnArray() {
        assertThrows(IOException.class, () -> parser.parse("{\"error\": 1}"));
    }
}
