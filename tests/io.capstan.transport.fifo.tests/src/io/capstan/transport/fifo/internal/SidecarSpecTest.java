package io.capstan.transport.fifo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.capstan.transport.fifo.SidecarSpec;

class SidecarSpecTest {

    private static final List<String> PW = List.of("pw-record", "--rate", "48000", "-");

    @Test
    void acceptsValidSpecAndCopiesCollections() {
        List<String> command = new ArrayList<>(PW);
        Map<String, String> env = new HashMap<>(Map.of("PIPEWIRE_REMOTE", "pipewire-0"));
        SidecarSpec spec = new SidecarSpec("pw-record", command, true, 8, Duration.ofSeconds(2), env);
        command.clear();
        env.clear();
        assertEquals(PW, spec.command());
        assertEquals(Map.of("PIPEWIRE_REMOTE", "pipewire-0"), spec.environment());
        assertEquals(Map.of(), SidecarSpec.ofStdout("pw", 8, PW).environment());
    }

    @Test
    void rejectsInvalidSpec() {
        assertThrows(IllegalArgumentException.class, () -> SidecarSpec.ofStdout("", 8, PW));
        assertThrows(IllegalArgumentException.class, () -> SidecarSpec.ofStdout("two words", 8, PW));
        assertThrows(IllegalArgumentException.class, () -> SidecarSpec.ofStdout("x".repeat(65), 8, PW));
        assertThrows(IllegalArgumentException.class, () -> SidecarSpec.ofStdout("pw", 8, List.of()));
        assertThrows(IllegalArgumentException.class, () -> SidecarSpec.ofStdout("pw", 8, List.of(" ")));
        assertThrows(IllegalArgumentException.class, () -> SidecarSpec.ofStdout("pw", 0, PW));
        assertThrows(IllegalArgumentException.class, () -> SidecarSpec.ofStdout("pw", 4097, PW));
        assertThrows(IllegalArgumentException.class, () -> new SidecarSpec("pw", PW, true, 8, Duration.ZERO, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SidecarSpec("pw", PW, false, 8, null, null));
        assertTrue(e.getMessage().contains("{fifo}"), e.getMessage());
    }
}
