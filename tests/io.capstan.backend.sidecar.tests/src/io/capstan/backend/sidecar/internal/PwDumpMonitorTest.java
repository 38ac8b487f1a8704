package io.capstan.backend.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.capstan.test.pipewire.Sandbox;

/** {@link PwDumpMonitor} against a private PipeWire (tools/pw-sandbox). */
class PwDumpMonitorTest {

    @TempDir
    Path tmp;

    @Test
    void callsBackOnHotPlugAndWhenPipeWireStopsButNotWhileTheGraphIsStillNorForItsOwnPwDump() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger changes = new AtomicInteger();
        boolean stopped = false;
        Sandbox sandbox = Sandbox.start(tmp.resolve("pw"), "--tone", "monitor-tone:440:0.5");
        // each call runs a one-shot pw-dump, as the backend does: a client coming and going must not count
        PwDumpMonitor monitor = new PwDumpMonitor(sandbox.environment(), () -> {
            changes.incrementAndGet();
            try {
                sandbox.output("pw-dump", "-N");
            } catch (java.io.IOException e) {
                // PipeWire stopped meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, executor, 60_000);
        try {
            monitor.start();
            waitFor(() -> changes.get() >= 1, "the first dump");
            Thread.sleep(1000); // let the start-up burst settle
            int settled = changes.get();
            Thread.sleep(3000);
            assertEquals(settled, changes.get(), "no call while nothing changes (no polling)");

            long start = System.nanoTime();
            sandbox.createSource("monitor-hotplug");
            waitFor(() -> changes.get() > settled, "a call for the new source");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("pw-dump --monitor: change seen %d ms after pw-cli started creating the source%n", millis);

            int beforeStop = changes.get();
            sandbox.close();
            stopped = true;
            waitFor(() -> changes.get() > beforeStop, "a call once PipeWire stopped (pw-dump ended)");
        } finally {
            monitor.stop();
            executor.shutdownNow();
            if (!stopped) {
                sandbox.close();
            }
        }
        assertTrue(ProcessHandle.current().children().noneMatch(p -> p.info().command().orElse("").endsWith("pw-dump")
                && java.util.Arrays.asList(p.info().arguments().orElse(new String[0])).contains("--monitor")),
                "pw-dump --monitor ended with the monitor");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
