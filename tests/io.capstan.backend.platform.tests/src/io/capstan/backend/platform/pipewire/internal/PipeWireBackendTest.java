package io.capstan.backend.platform.pipewire.internal;

import static io.capstan.backend.platform.pipewire.internal.BackendSandbox.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.FrameSink;

/** The backend's captures against a private PipeWire ({@code tools/pw-sandbox}) with two fed tone sources. */
class PipeWireBackendTest extends SandboxedBackendTest {

    /** PipeWire's data thread gets real-time priority from module-rt, as pw-record's does. */
    @Test
    void theDataThreadRunsAtRealTimePriorityWhereTheUserMay() throws Exception {
        String status = Files.readString(Path.of("/proc/self/status"));
        boolean root = status.lines().anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
        String rtLimit = Files.readString(Path.of("/proc/self/limits")).lines()
                .filter(l -> l.startsWith("Max realtime priority")).findFirst().orElse("");
        boolean allowed = root || rtLimit.matches(".*priority\\s+[1-9].*");
        Assumptions.assumeTrue(allowed, "this user may not use real-time scheduling (not root, RLIMIT_RTPRIO 0;"
                + " rtkit is not reachable from the sandbox): " + rtLimit);
        Device tone = backend.devices().stream().filter(d -> d.id().equals("bt-tone")).findFirst().orElseThrow();
        AtomicLong got = new AtomicLong();
        CompletableFuture<CaptureException> end = new CompletableFuture<>();
        CaptureStream stream = backend.open(tone, tone.nativeFormat(), new FrameSink() {
            @Override
            public boolean write(ByteBuffer b) {
                got.addAndGet(b.remaining());
                b.position(b.limit());
                return got.get() < 8L * RATE;
            }

            @Override
            public void end(CaptureException failure) {
                end.complete(failure);
            }
        });
        waitFor(() -> got.get() > 0, 10_000, "first audio");
        List<String> realTime = new java.util.ArrayList<>();
        List<Integer> drainNice = new java.util.ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    int policy = Integer.parseInt(f[38]); // field 41 of proc(5), counted after "(comm) "
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (policy == 1 || policy == 2) {
                        realTime.add(name + " priority " + f[37]);
                    }
                    if (name.equals("capstan-pw-drai")) { // comm holds 15 characters
                        drainNice.add(Integer.parseInt(f[16])); // field 19 of proc(5): nice
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // the thread ended
                }
            }
        }
        stream.stop();
        assertNull(end.get(10, TimeUnit.SECONDS), "capture failed");
        assertFalse(realTime.isEmpty(), "no thread of this JVM runs SCHED_FIFO/SCHED_RR while capturing");
        assertFalse(drainNice.isEmpty(), "no drain thread found");
        assertTrue(drainNice.stream().allMatch(n -> n == PwDrainer.DRAIN_NICE), "the drain threads' nice values: "
                + drainNice);
        System.out.println("real-time threads while capturing: " + realTime);
    }

    /**
     * A take as the capture service makes it: nobody meters it, so its sink tolerates any latency
     * and, being the only stream, it gets the deep pool and is drained every quarter of it.
     */
    @Test
    void capturesExactlyTenSecondsOfTheToneWithoutDiscontinuity() throws Exception {
        Device tone = backend.devices().stream().filter(d -> d.id().equals("bt-tone")).findFirst().orElseThrow();
        int frames = 10 * RATE;
        float[] left = new float[frames];
        AtomicLong got = new AtomicLong();
        CompletableFuture<CaptureException> end = new CompletableFuture<>();
        CaptureStream stream = backend.open(tone, tone.nativeFormat(), new FrameSink() {
            @Override
            public long latencyNanos() {
                return ANY_LATENCY;
            }

            @Override
            public boolean write(ByteBuffer b) {
                ByteBuffer le = b.order(ByteOrder.LITTLE_ENDIAN);
                while (le.remaining() >= 8 && got.get() < frames) {
                    left[(int) got.getAndIncrement()] = le.getFloat();
                    le.getFloat();
                }
                b.position(b.limit());
                return got.get() < frames;
            }

            @Override
            public void end(CaptureException failure) {
                end.complete(failure);
            }
        });
        waitFor(() -> got.get() > RATE, 10_000, "first second of audio");
        PwCapture capture = (PwCapture) stream;
        assertEquals(PoolSizes.DEFAULT_DEEP_BUFFERS, capture.poolBuffers(), "buffers in the lone take's pool");
        // the sandbox's graph runs 1024-frame quanta: 32 of them hold 683 ms, less 340 ms of slack
        // is 343 ms (8 buffers would give a quarter of 170 ms: 42 ms)
        long period = capture.maxIntervalNanos();
        assertTrue(period > TimeUnit.MILLISECONDS.toNanos(320) && period < TimeUnit.MILLISECONDS.toNanos(360),
                "drain period " + period + " ns, expected 32 quanta of 1024 frames less 340 ms: 343 ms");
        long[] before = BackendSandbox.drainThreadAllocation(stream);
        assertNull(end.get(30, TimeUnit.SECONDS), "capture failed");
        long[] after = BackendSandbox.drainThreadAllocation(stream);
        if (before != null && after != null && after[1] > before[1]) {
            // A measurement for docs/BENCHMARKS.md (the sink here allocates nothing either).
            System.out.printf("capstan-pw-drain allocated %d bytes over %d buffers (%d per buffer)%n",
                    after[0] - before[0], after[1] - before[1], (after[0] - before[0]) / (after[1] - before[1]));
        }
        assertTrue(stream.isEnded());
        assertEquals(frames, got.get(), "frames");
        assertEquals(0, stream.statistics().overruns(), "overruns");
        assertTrue(stream.statistics().callbacks() > 0, "buffers counted");

        int start = 0;
        while (start < frames && Math.abs(left[start]) < 1e-3) {
            start++;
        }
        assertTrue(start < RATE / 10, "tone starts only at frame " + start);
        int crossings = 0;
        double maxStep = 2 * Math.PI * 440 / RATE * 0.5 * 1.05;
        java.util.List<Integer> gaps = new java.util.ArrayList<>();
        for (int i = start + 1; i < frames; i++) {
            if (Math.abs(left[i] - left[i - 1]) > maxStep
                    && (gaps.isEmpty() || i - gaps.get(gaps.size() - 1) > 2048)) {
                gaps.add(i);
            }
            if (left[i - 1] < 0 && left[i] >= 0) {
                crossings++;
            }
        }
        // Without real-time scheduling (none in the sandbox) an overloaded machine makes the graph
        // skip cycles (xruns, which the backend must report) and the feeder miss cycles (the
        // virtual source then emits exact silence, upstream of the capture). A break that is
        // neither, i.e. a jump inside the tone, would be audio lost by the capture itself.
        long xruns = stream.statistics().xruns();
        java.util.List<Integer> jumps = gaps.stream()
                .filter(i -> left[i] != 0f && left[i - 1] != 0f).toList();
        assertTrue(jumps.size() <= xruns, () -> jumps.size() + " jumps in the tone (first at frames "
                + jumps.subList(0, Math.min(5, jumps.size())) + ") but " + xruns + " xruns reported; "
                + stream.statistics());
        if (!gaps.isEmpty()) {
            System.out.println("tone broken at frames " + gaps + " (" + (gaps.size() - jumps.size())
                    + " by source silence, the rest reported as xruns): " + stream.statistics());
        }
        double hz = crossings / ((frames - start) / (double) RATE);
        assertEquals(440, hz, gaps.isEmpty() ? 1.0 : 10.0, "frequency");
    }

    @Test
    void removingTheDeviceMidTakeEndsTheCaptureWithAReason() throws Exception {
        sandbox.createSource("bt-gone");
        waitFor(() -> backend.devices().stream().anyMatch(d -> d.id().equals("bt-gone")), 2000, "bt-gone listed");
        Device gone = backend.devices().stream().filter(d -> d.id().equals("bt-gone")).findFirst().orElseThrow();
        AtomicLong got = new AtomicLong();
        CompletableFuture<CaptureException> end = new CompletableFuture<>();
        backend.open(gone, gone.nativeFormat(), new FrameSink() {
            @Override
            public boolean write(ByteBuffer b) {
                got.addAndGet(b.remaining() / 8);
                b.position(b.limit());
                return true;
            }

            @Override
            public void end(CaptureException failure) {
                end.complete(failure);
            }
        });
        waitFor(() -> got.get() > RATE / 2, 5000, "audio from bt-gone");
        sandbox.tool("pw-cli", "destroy", "bt-gone");

        CaptureException failure = end.get(5, TimeUnit.SECONDS);
        assertNotNull(failure, "the capture must end with a failure, not continue from another device");
        assertTrue(failure.getMessage().contains("bt-gone"), failure.getMessage());
    }

    @Test
    void capturesAllEightChannelsOfASourceInOrder() throws Exception {
        String[] positions = { "FL", "FR", "FC", "LFE", "RL", "RR", "SL", "SR" };
        String map = String.join(",", positions);
        sandbox.tool("pw-cli", "create-node", "adapter", "{ factory.name=support.null-audio-sink node.name=bt-oct"
                + " node.description=\"Eight channels\" media.class=Audio/Source/Virtual audio.channels=8"
                + " audio.rate=48000 audio.position=[" + String.join(" ", positions) + "] object.linger=true }");
        // Channel c carries a sine of 200 + 100 c Hz.
        StringBuilder sines = new StringBuilder();
        for (int c = 0; c < 8; c++) {
            sines.append(" sine ").append(200 + 100 * c);
        }
        Process feeder = sandbox.spawn("bash", "-c", "sox -D -n -t raw -r 48000 -c 8 -e floating-point -b 32 -"
                + " synth 600" + sines + " vol 0.5 | exec pw-play --target 0 -P '{ node.name=feed-bt-oct }'"
                + " --rate 48000 --channels 8 --channel-map " + map + " --format f32 -");
        try {
            waitFor(() -> {
                try {
                    return sandbox.output("pw-link", "-o").contains("feed-bt-oct:output_SR");
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, 10_000, "feeder ports");
            for (String p : positions) {
                sandbox.tool("pw-link", "feed-bt-oct:output_" + p, "bt-oct:input_" + p);
            }
            waitFor(() -> backend.devices().stream().anyMatch(d -> d.id().equals("bt-oct")), 2000, "bt-oct listed");
            Device oct = backend.devices().stream().filter(d -> d.id().equals("bt-oct")).findFirst().orElseThrow();
            assertEquals(8, oct.nativeFormat().channels());
            int frames = RATE;
            float[][] x = new float[8][frames];
            AtomicLong got = new AtomicLong();
            AtomicLong skip = new AtomicLong(RATE / 2); // let the feeder's link settle
            CompletableFuture<CaptureException> end = new CompletableFuture<>();
            backend.open(oct, oct.nativeFormat(), new FrameSink() {
                @Override
                public boolean write(ByteBuffer b) {
                    ByteBuffer le = b.order(ByteOrder.LITTLE_ENDIAN);
                    while (le.remaining() >= 32 && got.get() < frames) {
                        if (skip.get() > 0) {
                            skip.decrementAndGet();
                            le.position(le.position() + 32);
                            continue;
                        }
                        int i = (int) got.getAndIncrement();
                        for (int c = 0; c < 8; c++) {
                            x[c][i] = le.getFloat();
                        }
                    }
                    b.position(b.limit());
                    return got.get() < frames;
                }

                @Override
                public void end(CaptureException failure) {
                    end.complete(failure);
                }
            });
            assertNull(end.get(30, TimeUnit.SECONDS), "capture failed");
            for (int c = 0; c < 8; c++) {
                int crossings = 0;
                for (int i = 1; i < frames; i++) {
                    if (x[c][i - 1] < 0 && x[c][i] >= 0) {
                        crossings++;
                    }
                }
                assertEquals(200 + 100 * c, crossings, 3, "channel " + c + " (" + positions[c] + ") frequency");
            }
        } finally {
            feeder.destroy();
            feeder.waitFor(5, TimeUnit.SECONDS);
            sandbox.tool("pw-cli", "destroy", "bt-oct");
        }
    }

    /** Smaller than the 16 sources x 30 s: one fed source, 16 streams, 5 s (machine shared). */
    @Test
    void sixteenConcurrentTakesOfOneSourceAreEachExact() throws Exception {
        Device tone = backend.devices().stream().filter(d -> d.id().equals("bt-tone")).findFirst().orElseThrow();
        int takes = 16;
        int frames = 5 * RATE;
        java.util.List<CompletableFuture<CaptureException>> ends = new java.util.ArrayList<>();
        java.util.List<AtomicLong> counts = new java.util.ArrayList<>();
        java.util.List<CaptureStream> streams = new java.util.ArrayList<>();
        for (int t = 0; t < takes; t++) {
            AtomicLong got = new AtomicLong();
            CompletableFuture<CaptureException> end = new CompletableFuture<>();
            streams.add(backend.open(tone, tone.nativeFormat(), new FrameSink() {
                @Override
                public boolean write(ByteBuffer b) {
                    long n = Math.min(b.remaining() / 8, frames - got.get());
                    got.addAndGet(n);
                    b.position(b.position() + (int) n * 8);
                    return got.get() < frames;
                }

                @Override
                public void end(CaptureException failure) {
                    end.complete(failure);
                }
            }));
            ends.add(end);
            counts.add(got);
        }
        waitFor(() -> counts.stream().allMatch(c -> c.get() > 0), 10_000, "audio in every take");
        for (int t = 0; t < takes; t++) {
            PwCapture capture = (PwCapture) streams.get(t);
            // the first few streams get deep pools, the rest shallow ones; all are drained as
            // often as their sinks (here: live, the default) ask
            assertEquals(t < PoolSizes.DEFAULT_DEEP_STREAMS ? PoolSizes.DEFAULT_DEEP_BUFFERS
                    : PoolSizes.DEFAULT_BUFFERS, capture.poolBuffers(), "buffers in take " + t + "'s pool");
            assertTrue(capture.maxIntervalNanos() <= FrameSink.LIVE_LATENCY_NANOS, "drain period of take " + t);
        }
        for (int t = 0; t < takes; t++) {
            assertNull(ends.get(t).get(60, TimeUnit.SECONDS), "take " + t);
            assertEquals(frames, counts.get(t).get(), "take " + t + " frames");
            // No overrun is a benchmark figure (docs/BENCHMARKS.md), not asserted: on a shared 2-core VM a
            // host hiccup longer than a shallow pool (170 ms) makes one. What is asserted: exact takes.
            System.out.println("16 takes of one source: take " + t + " " + streams.get(t).statistics());
        }
    }

    @Test
    void aSlowSinkCausesOverrunsThatAreCountedAndReportedWithPositionAndLength() throws Exception {
        // A pool of 2 buffers (43 ms at the sandbox's 1024-frame quantum) and a sink that stalls.
        PipeWireBackend small = new PipeWireBackend(sandbox.socket(), PoolSizes.uniform(2), 5000);
        try {
            waitFor(() -> small.devices().stream().anyMatch(d -> d.id().equals("bt-tone")), 5000, "listed");
            Device tone = small.devices().stream().filter(d -> d.id().equals("bt-tone")).findFirst().orElseThrow();
            AtomicLong stored = new AtomicLong();
            java.util.List<long[]> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();
            CompletableFuture<CaptureException> end = new CompletableFuture<>();
            CaptureStream stream = small.open(tone, tone.nativeFormat(), new FrameSink() {
                @Override
                public boolean write(ByteBuffer b) {
                    if (stored.get() == 0) {
                        try {
                            Thread.sleep(600); // the storage thread stalls once
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    stored.addAndGet(b.remaining() / 8);
                    b.position(b.limit());
                    return stored.get() < RATE * 2;
                }

                @Override
                public void gap(String kind, long takeFrame, long frames) {
                    gaps.add(new long[] { kind.equals(FrameSink.OVERRUN) ? 1 : 0, takeFrame, frames });
                }

                @Override
                public void end(CaptureException failure) {
                    end.complete(failure);
                }
            });
            assertNull(end.get(30, TimeUnit.SECONDS));
            long overruns = stream.statistics().overruns();
            assertTrue(overruns > 0, "overruns counted: " + stream.statistics());
            java.util.List<long[]> overrunGaps = gaps.stream().filter(g -> g[0] == 1).toList();
            assertEquals(overruns, overrunGaps.size(), "each overrun reported");
            assertEquals(stream.statistics().overrunFrames(), overrunGaps.stream().mapToLong(g -> g[2]).sum(),
                    "reported lengths add up");
            assertTrue(overrunGaps.get(0)[1] > 0 && overrunGaps.get(0)[1] <= 2 * 1024,
                    "first gap after what the pool held: frame " + overrunGaps.get(0)[1]);
            assertTrue(overrunGaps.get(0)[2] >= RATE / 2, "the 600 ms stall lost at least 500 ms: " + overrunGaps.get(0)[2]);
        } finally {
            small.deactivate();
        }
    }
}
