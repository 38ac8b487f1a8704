package io.capstan.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.capstan.api.ActiveTake;
import io.capstan.api.CaptureRequest;
import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.transport.fifo.SidecarLauncher;

/**
 * Sidecars that misbehave, run for real through a template backend, the FIFO transport, the
 * capture service and the store: one that exits at once, one that never opens its FIFO, one that
 * hangs after some data, one that ends inside a frame. Each take ends FAILED with a clear reason
 * within the data timeout, keeps what was captured (sealed, verified), leaves no process and no
 * FIFO behind, and a take running beside it, and one started after it, complete exactly.
 * Issue 8 (faults).
 */
class SidecarFaultsTest {

    private static final String FACTORY_PID = "io.capstan.backend.sidecar.template";
    /** F32_LE stereo. */
    private static final int FRAME_BYTES = 8;
    /** Frames a writing sidecar writes before it misbehaves. */
    private static final int FRAMES_BEFORE = 12_000;

    @TempDir
    static Path tmp;
    private static Configuration config;

    /**
     * One template backend whose devices are behaviours. Its script writes its pid to
     * {@code pid-<device>} first, so that the test can tell the process is gone (not a zombie).
     */
    @BeforeAll
    static void configureFaultyBackend() throws Exception {
        String script = "echo $$ > '" + tmp + "'/pid-$1.tmp; mv '" + tmp + "'/pid-$1.tmp '" + tmp + "'/pid-$1\n"
                + "case \"$1\" in\n"
                + "  exits) echo 'device busy: cannot open hw:7' >&2; exit 3;;\n"
                + "  never-opens) exec sleep 30;;\n"
                + "  hangs) exec > \"$2\"; head -c " + FRAMES_BEFORE * FRAME_BYTES + " /dev/zero; exec sleep 30;;\n"
                + "  partial) exec > \"$2\"; head -c " + (FRAMES_BEFORE * FRAME_BYTES + 5) + " /dev/zero; exit 0;;\n"
                + "  steady) exec > \"$2\"; while :; do head -c 3840 /dev/zero; sleep 0.01; done;;\n"
                + "esac\n";
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("id", "faulty");
        props.put("captureCommand", new String[] {"/bin/sh", "-c", script, "sh", "{device}", "{fifo}"});
        props.put("sampleFormat", "F32_LE");
        props.put("firstDataTimeoutMillis", 1500L);
        props.put("devices", Stream.of("exits", "never-opens", "hangs", "partial", "steady")
                .map(d -> d + ";48000;2;Sidecar that " + d).toArray(String[]::new));
        config = Services.await(ConfigurationAdmin.class).getFactoryConfiguration(FACTORY_PID, "faults", "?");
        config.update(props);
        Services.await(DeviceRegistry.class).await("steady", Duration.ofSeconds(10));
    }

    @AfterAll
    static void removeBackend() throws Exception {
        if (config != null) {
            config.delete();
        }
    }

    @Test
    void sidecarThatExitsAtOnceFailsTheTakeWithItsStatusAndStderr() throws Exception {
        Take take = faultBesideSteadyTake("exits", 0);
        assertTrue(take.reason().contains("exited with status 3"), take.reason());
        assertTrue(take.reason().contains("device busy: cannot open hw:7"), take.reason());
    }

    @Test
    void sidecarThatNeverOpensTheFifoFailsWithinTheDataTimeout() throws Exception {
        Take take = faultBesideSteadyTake("never-opens", 0);
        assertTrue(take.reason().contains("no data from faulty within 1500 ms"), take.reason());
        assertTrue(take.reason().contains("was killed"), take.reason());
    }

    @Test
    void sidecarThatHangsAfterSomeDataFailsKeepingWhatItDelivered() throws Exception {
        Take take = faultBesideSteadyTake("hangs", FRAMES_BEFORE);
        assertTrue(take.reason().contains("stopped delivering data"), take.reason());
    }

    @Test
    void sidecarThatEndsInsideAFrameFailsKeepingTheWholeFrames() throws Exception {
        Take take = faultBesideSteadyTake("partial", FRAMES_BEFORE);
        assertTrue(take.reason().contains("5 bytes of an incomplete frame"), take.reason());
    }

    /**
     * Starts a steady take, then a take on the faulty device; checks the fault's take and that
     * the steady one, and one started after the fault, complete exactly.
     *
     * @return the faulty take, checked for state, frames, verification, process and FIFO
     */
    private Take faultBesideSteadyTake(String device, long framesKept) throws Exception {
        CaptureService capture = Services.await(CaptureService.class);
        ChunkStore store = Services.await(ChunkStore.class);
        Files.deleteIfExists(tmp.resolve("pid-" + device));
        ActiveTake steady = capture.start(new CaptureRequest("steady", null, 96_000));

        long started = System.nanoTime();
        ActiveTake faulty = capture.start(new CaptureRequest(device, null, 480_000));
        Take take = faulty.awaitEnd(Duration.ofSeconds(20));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(TakeState.FAILED, take.state(), take.reason());
        assertTrue(tookMillis < 5_000, "the fault was reported after " + tookMillis + " ms");
        assertEquals(framesKept, take.frames(), "what was captured is kept");
        Take stored = store.take(take.id()).orElseThrow();
        assertEquals(TakeState.FAILED, stored.state(), "the manifest says FAILED");
        assertEquals(take.reason(), stored.reason());
        assertEquals(framesKept, stored.frames());
        assertTrue(store.verify(take.id(), null).ok(), "what was captured is sealed");
        assertProcessGone(tmp.resolve("pid-" + device));
        Take beside = steady.awaitEnd(Duration.ofSeconds(20));
        assertEquals(TakeState.COMPLETE, beside.state(), beside.reason());
        assertEquals(96_000, beside.frames(), "the take beside the fault is exact");
        assertNoFifoLeft();

        Take after = capture.start(new CaptureRequest("steady", null, 24_000)).awaitEnd(Duration.ofSeconds(20));
        assertEquals(TakeState.COMPLETE, after.state(), after.reason());
        assertEquals(24_000, after.frames());
        assertNoFifoLeft();
        return take;
    }

    /** The sidecar whose pid is in {@code pidFile} is gone: exited and reaped (no zombie), within 5 s. */
    private static void assertProcessGone(Path pidFile) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
            Thread.sleep(20); // written by the sidecar as it started, which was before its take ended
        }
        assertTrue(Files.exists(pidFile), "the sidecar never ran: no " + pidFile);
        Path proc = Path.of("/proc", Files.readString(pidFile).strip());
        while (Files.exists(proc) && System.nanoTime() < deadline) {
            Thread.sleep(20); // a bounded poll of /proc: no event says a process was reaped
        }
        assertTrue(!Files.exists(proc), "sidecar " + proc + " is still there (" + status(proc) + ")");
    }

    private static String status(Path proc) {
        try {
            return Files.readAllLines(proc.resolve("status")).stream().filter(l -> l.startsWith("State:")).findFirst()
                    .orElse("no state");
        } catch (java.io.IOException e) {
            return "gone now";
        }
    }

    private static void assertNoFifoLeft() throws Exception {
        Path dir = Services.await(SidecarLauncher.class).runtimeDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> fifos = files.filter(f -> f.getFileName().toString().endsWith(".fifo")).toList();
            assertEquals(List.of(), fifos, "FIFOs left in " + dir);
        }
    }
}
