package io.capstan.backend.platform.coreaudio.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OSStatusExceptionTest {

    @Test
    void decodesFourCharacterCodesWithTheirNames() {
        assertEquals("'!obj' (kAudioHardwareBadObjectError, 560947818)", OSStatusException.describe(560947818));
        assertEquals("'who?' (kAudioHardwareUnknownPropertyError, 2003332927)",
                OSStatusException.describe(FourCC.of("who?")));
    }

    @Test
    void decodesNumericCodesWithTheirNames() {
        assertEquals("-66681 (kAudioQueueErr_CannotStart)", OSStatusException.describe(-66681));
        assertEquals("-50 (paramErr)", OSStatusException.describe(-50));
    }

    @Test
    void showsUnknownCodesAsTheyAre() {
        assertEquals("'abcd' (1633837924)", OSStatusException.describe(FourCC.of("abcd")));
        assertEquals("-12345", OSStatusException.describe(-12345));
    }

    @Test
    void checkThrowsOnlyForErrors() {
        assertDoesNotThrow(() -> OSStatusException.check("AudioQueueStart", 0));
        OSStatusException e = assertThrows(OSStatusException.class,
                () -> OSStatusException.check("AudioQueueStart", -66681));
        assertEquals("AudioQueueStart failed: -66681 (kAudioQueueErr_CannotStart)", e.getMessage());
        assertEquals(-66681, e.status());
    }
}
