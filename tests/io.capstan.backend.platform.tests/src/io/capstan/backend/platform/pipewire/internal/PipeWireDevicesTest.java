package io.capstan.backend.platform.pipewire.internal;

import static io.capstan.backend.platform.pipewire.internal.BackendSandbox.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.capstan.api.CaptureException;
import io.capstan.api.Device;
import io.capstan.test.pipewire.Sandbox;

/**
 * The backend's devices and connection against a private PipeWire ({@code tools/pw-sandbox}):
 * listing, hot-plug, the default source, no PipeWire, PipeWire coming and going.
 */
class PipeWireDevicesTest extends SandboxedBackendTest {

    @Test
    void listsFedSourcesWithTheirNativeFormat() {
        Device tone = backend.devices().stream().filter(d -> d.id().equals("bt-tone")).findFirst().orElseThrow();
        assertEquals("pipewire", tone.backend());
        assertEquals(2, tone.nativeFormat().channels());
        assertEquals(RATE, tone.nativeFormat().sampleRate());
        assertEquals("Capstan test tone 440 Hz", tone.description());
        assertTrue(backend.devices().stream().noneMatch(d -> d.id().startsWith("feed-")), "playback streams listed");
    }

    @Test
    void hotPlugAddsAndRemovesADeviceWithin100Ms() throws Exception {
        AtomicInteger told = new AtomicInteger();
        backend.addDeviceListener(b -> told.incrementAndGet());
        try {
            sandbox.createSource("bt-plug");
            long added = System.nanoTime();
            waitFor(() -> backend.devices().stream().anyMatch(d -> d.id().equals("bt-plug")), 2000, "bt-plug listed");
            long addMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - added);
            waitFor(() -> told.get() > 0, 1000, "listener told of the new device");
            // Regression (issue 3): later node info events repeat only what changed; their empty
            // property list must not unlist the device. They follow within a few cycles.
            Thread.sleep(300);
            assertTrue(backend.devices().stream().anyMatch(d -> d.id().equals("bt-plug")),
                    "bt-plug unlisted again while it exists: " + backend.devices());

            int before = told.get();
            sandbox.tool("pw-cli", "destroy", "bt-plug");
            long removed = System.nanoTime();
            waitFor(() -> backend.devices().stream().noneMatch(d -> d.id().equals("bt-plug")), 2000, "bt-plug gone");
            long removeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - removed);
            waitFor(() -> told.get() > before, 1000, "listener told of the removal");

            assertTrue(addMillis <= 100, "listed " + addMillis + " ms after pw-cli created it");
            assertTrue(removeMillis <= 100, "unlisted " + removeMillis + " ms after pw-cli destroyed it");
        } finally {
            backend.removeDeviceListener(b -> {
            });
        }
    }

    /**
     * The value WirePlumber publishes is set directly (WirePlumber 0.4.13 here does not re-pick
     * the default when only {@code default.configured.audio.source} changes). The configured
     * value is set first, so that a re-pick WirePlumber makes meanwhile (a source of an earlier
     * test went away) picks the same source instead of overwriting it: that race failed this
     * test once in six runs.
     */
    @Test
    void followsTheDefaultSource() throws Exception {
        setDefaultSource("bt-other");
        waitFor(() -> backend.defaultDeviceId().equals(Optional.of("bt-other")), 2000, "default = bt-other");
        setDefaultSource("bt-tone");
        waitFor(() -> backend.defaultDeviceId().equals(Optional.of("bt-tone")), 2000, "default = bt-tone");
    }

    private static void setDefaultSource(String name) throws Exception {
        String value = "{\"name\":\"" + name + "\"}";
        sandbox.tool("pw-metadata", "0", "default.configured.audio.source", value, "Spa:String:JSON");
        sandbox.tool("pw-metadata", "0", "default.audio.source", value, "Spa:String:JSON");
    }

    @Test
    void withoutPipeWireSaysSoAndOffersNothing() throws Exception {
        PipeWireBackend none = new PipeWireBackend(tmp.resolve("no-such-socket").toString(), PoolSizes.DEFAULT, 5000);
        try {
            assertNotNull(none.problem());
            assertTrue(none.problem().contains("not reachable"), none.problem());
            assertTrue(none.devices().isEmpty());
            assertFalse(none.defaultDeviceId().isPresent());
            Device d = backend.devices().get(0);
            assertThrows(CaptureException.class, () -> none.open(d, d.nativeFormat(), null));
        } finally {
            none.deactivate();
        }
    }

    @Test
    void connectsWhenPipeWireComesAndOffersNothingOnceItGoes() throws Exception {
        Path dir = tmp.resolve("late");
        PipeWireBackend late = new PipeWireBackend(dir.resolve("runtime/pipewire-0").toString(), PoolSizes.DEFAULT, 5000);
        try {
            assertNotNull(late.problem(), "no PipeWire yet");
            try (Sandbox second = Sandbox.start(dir, "--tone", "late-tone:440:0.5")) {
                waitFor(() -> late.devices().stream().anyMatch(d -> d.id().equals("late-tone")), 10_000,
                        "late-tone listed once PipeWire runs");
                assertNull(late.problem());
            }
            waitFor(() -> late.devices().isEmpty(), 5000, "devices forgotten once PipeWire stopped");
            assertNotNull(late.problem(), "says PipeWire went away");
        } finally {
            late.deactivate();
        }
    }
}
