package io.capstan.backend.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

class CommandTemplateTest {

    private static final Device MIC = new Device("hw:1", "USB", new AudioFormat(44_100, 1, SampleFormat.S16_LE), "x");

    @Test
    void expandsEveryPlaceholder() {
        CommandTemplate t = new CommandTemplate(List.of("rec", "{device}", "-r{rate}", "-c", "{channels}", "{format}",
                "{alsa-format}", "{pw-format}", "{sox-encoding}", "{bits}", "--output={fifo}"));
        assertEquals(List.of("rec", "hw:1", "-r96000", "-c", "2", "S24_LE", "S24_3LE", "s24", "signed-integer", "24",
                "--output={fifo}"), t.expand(MIC, new AudioFormat(96_000, 2, SampleFormat.S24_LE)));
        assertEquals(List.of("rec", "hw:1", "-r44100", "-c", "1", "F32_LE", "FLOAT_LE", "f32", "floating-point", "32",
                "--output={fifo}"), t.expand(MIC, new AudioFormat(44_100, 1, SampleFormat.F32_LE)));
    }

    @Test
    void tellsWhetherOutputIsFifoArgumentOrStdout() {
        assertTrue(new CommandTemplate(List.of("helper", "--output", "{fifo}")).writesToFifoArgument());
        assertFalse(new CommandTemplate(List.of("pw-record", "--target", "{device}", "-")).writesToFifoArgument());
    }

    @Test
    void tellsWhetherCommandChoosesFormatRateAndChannels() {
        CommandTemplate fixed = new CommandTemplate(List.of("cat", "/dev/zero"));
        assertFalse(fixed.choosesFormat());
        assertFalse(fixed.choosesRateAndChannels());
        CommandTemplate free = new CommandTemplate(List.of("x", "{rate}", "{channels}", "{bits}"));
        assertTrue(free.choosesFormat());
        assertTrue(free.choosesRateAndChannels());
    }

    @Test
    void rejectsUnknownPlaceholderNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CommandTemplate(List.of("rec", "{samplerate}")));
        assertTrue(e.getMessage().contains("{samplerate}") && e.getMessage().contains("{rate}"), e.getMessage());
    }

    @Test
    void rejectsEmptyCommand() {
        assertThrows(IllegalArgumentException.class, () -> new CommandTemplate(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new CommandTemplate(List.of(" ")));
    }
}
