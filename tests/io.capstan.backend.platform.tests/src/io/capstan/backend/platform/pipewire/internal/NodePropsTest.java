package io.capstan.backend.platform.pipewire.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.SampleFormat;

class NodePropsTest {

    @Test
    void readsAVirtualSource() {
        NodeProps n = NodeProps.parse(Map.of("node.name", "mic", "node.description", "Desk mic", "media.class",
                "Audio/Source/Virtual", "audio.channels", "2", "audio.rate", "44100", "audio.position", "[FL FR]"),
                48_000, "pipewire").orElseThrow();
        assertEquals("mic", n.device().id());
        assertEquals("Desk mic", n.device().description());
        assertEquals(new AudioFormat(44_100, 2, SampleFormat.F32_LE), n.device().nativeFormat());
        assertArrayEquals(new int[] { 3, 4 }, n.positions());
        assertEquals(java.util.List.of("FL", "FR"), n.device().channelPositions());
    }

    @Test
    void ignoresNodesThatAreNotCaptureSources() {
        assertTrue(NodeProps.parse(Map.of("node.name", "out", "media.class", "Stream/Output/Audio"), 48_000,
                "pipewire").isEmpty());
        assertTrue(NodeProps.parse(Map.of("node.name", "spk", "media.class", "Audio/Sink"), 48_000, "pipewire")
                .isEmpty());
    }

    @Test
    void assumesGraphRateAndPositionsWhenTheNodeStatesNone() {
        NodeProps n = NodeProps.parse(Map.of("node.name", "eight", "media.class", "Audio/Source", "audio.channels",
                "8"), 48_000, "pipewire").orElseThrow();
        assertEquals(48_000, n.device().nativeFormat().sampleRate());
        assertEquals(0x1000 + 7, n.positions()[7]);
        assertEquals(java.util.List.of("AUX0", "AUX1", "AUX2", "AUX3", "AUX4", "AUX5", "AUX6", "AUX7"),
                n.device().channelPositions(), "PipeWire's default layout when none is stated");
    }

    @Test
    void namesSurroundPositions() {
        NodeProps n = NodeProps.parse(Map.of("node.name", "surround", "media.class", "Audio/Source", "audio.channels",
                "6", "audio.position", "FL,FR,FC,LFE,RL,RR"), 48_000, "pipewire").orElseThrow();
        assertEquals(java.util.List.of("FL", "FR", "FC", "LFE", "RL", "RR"), n.device().channelPositions());
    }

    @Test
    void readsTheDefaultSourceName() {
        assertEquals(Optional.of("capstan-tone"), NodeProps.defaultName("{ \"name\": \"capstan-tone\" }"));
        assertEquals(Optional.empty(), NodeProps.defaultName("{}"));
    }
}
