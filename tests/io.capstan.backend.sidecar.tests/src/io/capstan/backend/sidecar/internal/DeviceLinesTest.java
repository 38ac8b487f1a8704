package io.capstan.backend.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

class DeviceLinesTest {

    @Test
    void parsesSemicolonAndTabSeparatedLines() {
        List<Device> d = DeviceLines.parse(List.of("# comment", "", "hw:1;48000;2;USB mic; left", "tone\t44100\t1"),
                SampleFormat.S16_LE, "arecord");
        assertEquals(List.of(new Device("hw:1", "USB mic; left", new AudioFormat(48_000, 2, SampleFormat.S16_LE), "arecord"),
                new Device("tone", "tone", new AudioFormat(44_100, 1, SampleFormat.S16_LE), "arecord")), d);
    }

    @Test
    void rejectsLineWithoutRateAndChannels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceLines.parse(List.of("hw:1;48000"), SampleFormat.F32_LE, "x"));
        assertTrue(e.getMessage().contains("'hw:1;48000'"), e.getMessage());
    }

    @Test
    void rejectsNonNumericRate() {
        assertThrows(IllegalArgumentException.class,
                () -> DeviceLines.parse(List.of("hw:1;fast;2"), SampleFormat.F32_LE, "x"));
    }
}
