package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

class StoreSettingsTest {

    @Test
    void configuredHomeWins() {
        assertEquals(Path.of("/data/c"), StoreSettings.resolveHome("/data/c", Map.of("CAPSTAN_HOME", "/x"), "/home/u"));
    }

    @Test
    void capstanHomeBeforeXdg() {
        assertEquals(Path.of("/x"), StoreSettings.resolveHome("", Map.of("CAPSTAN_HOME", "/x",
                "XDG_DATA_HOME", "/xdg"), "/home/u"));
    }

    @Test
    void xdgDataHomeBeforeDefault() {
        assertEquals(Path.of("/xdg/capstan"), StoreSettings.resolveHome(" ", Map.of("XDG_DATA_HOME", "/xdg"), "/home/u"));
    }

    @Test
    void defaultsToLocalShare() {
        assertEquals(Path.of("/home/u/.local/share/capstan"), StoreSettings.resolveHome(null, Map.of(), "/home/u"));
        assertEquals(Path.of("/home/u/.local/share/capstan"),
                StoreSettings.resolveHome("", Map.of("XDG_DATA_HOME", "relative"), "/home/u"), "XDG paths must be absolute");
    }

    @Test
    void rejectsNonPositiveChunkSize() {
        assertThrows(IllegalArgumentException.class, () -> new StoreSettings(Path.of("/tmp"), 0, WavWriter.RIFF_LIMIT));
    }
}
