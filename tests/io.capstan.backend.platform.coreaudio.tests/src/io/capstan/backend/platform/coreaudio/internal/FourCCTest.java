package io.capstan.backend.platform.coreaudio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FourCCTest {

    /** The values the C compiler gives the headers' multi-character literals ('dev#' = 0x64657623). */
    @Test
    void packsFirstCharacterIntoMostSignificantByte() {
        assertEquals(0x64657623, FourCC.of("dev#"));
        assertEquals(1684370979, FourCC.of("dev#"));
        assertEquals(1969841184, FourCC.of("uid "));
        assertEquals(560947818, FourCC.of("!obj"));
    }

    @Test
    void roundTripsPrintableCodes() {
        assertEquals("who?", FourCC.toString(FourCC.of("who?")));
        assertTrue(FourCC.isPrintable(FourCC.of("lpcm")));
        assertFalse(FourCC.isPrintable(-66681));
        assertFalse(FourCC.isPrintable(0));
    }

    @Test
    void rejectsCodesThatAreNotFourAsciiCharacters() {
        assertThrows(IllegalArgumentException.class, () -> FourCC.of("dev"));
        assertThrows(IllegalArgumentException.class, () -> FourCC.of("devices"));
        assertThrows(IllegalArgumentException.class, () -> FourCC.of("dé#!"));
    }
}
