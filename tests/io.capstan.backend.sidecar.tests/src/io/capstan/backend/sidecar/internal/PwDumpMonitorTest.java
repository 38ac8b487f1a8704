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
    void callsBackOnHotPlugAndRemovalAndWhenPipeWireStopsButNotWhileTheGraphIsStillNorForItsOwnPwDump() throws Exception {
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
            int settled = quiet(changes, 500); // the start-up burst (feeder streams linking) is over
            Thread.sleep(3000); // the window in which nothing may happen: polling every 2 s would show
            assertEquals(settled, changes.get(), "no call while nothing changes (no polling)");

            long start = System.nanoTime();
            sandbox.createSource("monitor-hotplug");
            waitFor(() -> changes.get() > settled, "a call for the new source");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("pw-dump --monitor: change seen %d ms after pw-cli started creating the source%n", millis);

            // a removal prints a few dozen bytes: pw-dump must not keep them in its stdio buffer
            int beforeRemoval = quiet(changes, 300);
            sandbox.tool("pw-cli", "destroy", "monitor-hotplug");
            waitFor(() -> changes.get() > beforeRemoval, "a call for the removed source");

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

    /** Waits (at most 10 s) until {@code count} has not moved for {@code millis}; returns it. */
    private static int quiet(AtomicInteger count, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int seen = count.get();
        long since = System.nanoTime();
        while (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(millis)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("calls never stopped for " + millis + " ms within 10 s: " + count.get());
            }
            Thread.sleep(10);
            if (count.get() != seen) {
                seen = count.get();
                since = System.nanoTime();
            }
        }
        return seen;
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
