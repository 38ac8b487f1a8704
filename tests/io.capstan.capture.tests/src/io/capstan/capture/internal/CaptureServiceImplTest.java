package io.capstan.capture.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureException;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

class CaptureServiceImplTest {

    private static final Device MIC = new Device("mic", "Mic", new AudioFormat(48_000, 2, SampleFormat.F32_LE),
            "pipewire");

    @Test
    void refusesAnotherRateOrChannelCountNamingTheNativeFormat() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> CaptureServiceImpl.checkFormat(MIC, new AudioFormat(44_100, 2, SampleFormat.F32_LE), false));
        assertTrue(e.getMessage().contains("48000 Hz 2ch natively") && e.getMessage().contains("--convert"),
                e.getMessage());
        assertThrows(CaptureException.class,
                () -> CaptureServiceImpl.checkFormat(MIC, new AudioFormat(48_000, 1, SampleFormat.F32_LE), false));
    }

    @Test
    void acceptsConversionWhenAskedAndAnotherSampleFormatAlways() {
        assertDoesNotThrow(
                () -> CaptureServiceImpl.checkFormat(MIC, new AudioFormat(44_100, 1, SampleFormat.F32_LE), true));
        assertDoesNotThrow(
                () -> CaptureServiceImpl.checkFormat(MIC, new AudioFormat(48_000, 2, SampleFormat.S16_LE), false));
    }
}
