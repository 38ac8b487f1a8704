package io.capstan.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.capstan.api.StoreHealth;

/** The status line's text from the store's health and the recording rate. */
class StatusLineTest {

    private static final long MIB = 1 << 20;

    @Test
    void idleShowsTheFreeSpace() {
        String t = StatusLine.text(0, new StoreHealth(3L << 30, 100L << 30, 256 * MIB, null, List.of()), 0, "/s", "pipewire");
        assertEquals("Idle   |   3 GiB free in /s   |   backends: pipewire", t);
    }

    @Test
    void recordingShowsTheTimeLeftBeforeTheReserve() {
        // 768 KiB/s (two stereo F32 takes at 48 kHz); 2 GiB above the reserve: 45 min 30 s
        String t = StatusLine.text(2, new StoreHealth(2048 * MIB + 256 * MIB, 100L << 30, 256 * MIB, null, List.of()),
                768 * 1024, "/s", "pipewire");
        assertTrue(t.startsWith("Recording 2 takes   |   2.3 GiB free in /s: 45 min 30 s left at 768 KiB/s"), t);
        assertFalse(t.contains("LOW SPACE"), t);
    }

    @Test
    void warnsWhenTheReserveIsLessThanTenMinutesAway() {
        String t = StatusLine.text(1, new StoreHealth(256 * MIB + 100 * MIB, 100L << 30, 256 * MIB, null, List.of()),
                384_000, "/s", "pipewire");
        assertTrue(t.startsWith("LOW SPACE   |   Recording 1 take"), t);
        assertTrue(t.contains("4 min 33 s left"), t);
    }

    @Test
    void saysWhyTheStoreCannotRecord() {
        String t = StatusLine.text(0, new StoreHealth(0, 6 * MIB, 61 * 1024,
                "the store /s is not writable (read-only file system or no permission): make it writable. More", List.of()),
                0, "/s", "");
        assertTrue(t.contains("cannot record: the store /s is not writable (read-only file system or no permission):"
                + " make it writable   |   backends: none"), t);
    }
}
