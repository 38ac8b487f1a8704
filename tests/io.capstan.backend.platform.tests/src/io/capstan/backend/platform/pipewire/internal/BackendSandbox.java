package io.capstan.backend.platform.pipewire.internal;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.capstan.api.CaptureStream;
import io.capstan.test.pipewire.Sandbox;

/**
 * A private PipeWire with two fed tones ({@code bt-tone} 440 Hz, {@code bt-other} 880 Hz) and a
 * {@link PipeWireBackend} connected to it, shared by the tests of one class. {@link #start} throws
 * the sandbox's assumption failure (the class is skipped with the reason) when PipeWire is absent.
 */
final class BackendSandbox implements AutoCloseable {

    static final int RATE = 48_000;

    final Sandbox sandbox;
    final PipeWireBackend backend;

    private BackendSandbox(Sandbox sandbox, PipeWireBackend backend) {
        this.sandbox = sandbox;
        this.backend = backend;
    }

    static BackendSandbox start(Path dir) throws IOException, InterruptedException {
        Sandbox sandbox = Sandbox.start(dir, "--tone", "bt-tone:440:0.5", "--tone", "bt-other:880:0.5");
        PipeWireBackend backend = new PipeWireBackend(sandbox.socket(), PoolSizes.DEFAULT, 5000);
        assertNull(backend.problem(), "backend problem");
        waitFor(() -> backend.devices().stream().anyMatch(d -> d.id().equals("bt-other")), 5000, "sources listed");
        return new BackendSandbox(sandbox, backend);
    }

    @Override
    public void close() throws Exception {
        backend.deactivate();
        sandbox.close();
    }

    /** Waits for {@code condition}, polling every millisecond, at most {@code millis}. */
    static void waitFor(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + millis + " ms");
            }
            Thread.sleep(1);
        }
    }

    /** @return {bytes allocated by the drain thread so far, buffers taken}, or null when not measurable */
    static long[] drainThreadAllocation(CaptureStream stream) {
        try {
            Thread data = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("capstan-pw-drain")).findFirst().orElse(null);
            if (data == null) {
                return null;
            }
            Object bytes = java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("java.lang:type=Threading"), "getThreadAllocatedBytes",
                    new Object[] { data.threadId() }, new String[] { "long" });
            return new long[] { (Long) bytes, stream.statistics().callbacks() };
        } catch (javax.management.JMException | RuntimeException e) {
            return null;
        }
    }
}
