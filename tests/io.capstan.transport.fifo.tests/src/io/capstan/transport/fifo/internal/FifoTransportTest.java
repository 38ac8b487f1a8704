package io.capstan.transport.fifo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.transport.fifo.SidecarSpec;
import io.capstan.transport.fifo.internal.jna.LibC;

/**
 * {@link FifoTransport} with real sidecar processes ({@code /bin/sh} scripts). The timeout runs
 * each test on a separate thread, so a regression that blocks in open() fails instead of hanging.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FifoTransportTest {

    private static final Duration END = Duration.ofSeconds(10);

    @TempDir
    Path temp;

    private Path runtime;
    private FifoTransport transport;

    @BeforeEach
    void setUp() {
        LibC.load();
        runtime = temp.resolve("run");
        transport = transport(Duration.ofSeconds(5), Duration.ofSeconds(3));
    }

    @AfterEach
    void tearDown() {
        transport.deactivate();
    }

    private FifoTransport transport(Duration firstData, Duration stop) {
        return new FifoTransport(firstData, stop, new RuntimeDirectory(runtime, LibC.geteuid()));
    }

    private static SidecarSpec sh(String name, int frameBytes, String script) {
        return SidecarSpec.ofStdout(name, frameBytes, List.of("/bin/sh", "-c", script));
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(temp.resolve(name), data);
    }

    @Test
    void deliversEveryByteInWholeFrames() throws Exception {
        Path data = randomFile("data", 60_000);
        RecordingSink sink = new RecordingSink(6);
        transport.start(sh("odd", 6, "dd if='" + data + "' bs=7 status=none"), sink);
        sink.awaitEnd(END);
        assertNull(sink.failure);
        assertEquals(0, sink.misaligned.get(), "writes with a partial frame");
        assertArrayEquals(Files.readAllBytes(data), sink.bytes());
    }

    @Test
    void carriesPartialFrameOver() throws Exception {
        RecordingSink sink = new RecordingSink(6);
        transport.start(sh("split", 6, "printf abcd; sleep 0.3; printf efghij; sleep 0.3; printf kl"), sink);
        sink.awaitEnd(END);
        assertNull(sink.failure);
        assertEquals(List.of("abcdef", "ghijkl"), sink.writesAsText());
    }

    @Test
    void reportsIncompleteFrameAtEof() throws Exception {
        RecordingSink sink = new RecordingSink(6);
        transport.start(sh("short", 6, "printf abcdefg"), sink);
        sink.awaitEnd(END);
        assertEquals("abcdef", new String(sink.bytes()));
        assertNotNull(sink.failure, "a trailing partial frame must not end silently");
        assertTrue(sink.failure.getMessage().contains("1 byte of an incomplete frame"), sink.failure.getMessage());
    }

    @Test
    void slowConsumerMakesWriterWait() throws Exception {
        Path data = randomFile("big", 4 << 20);
        Path done = temp.resolve("writer-done");
        AtomicReference<Boolean> writerDoneAtOneMiB = new AtomicReference<>();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long[] count = { 0 };
        RecordingSink sink = new RecordingSink(8) {
            @Override
            void afterWrite(byte[] bytes) {
                digest.update(bytes);
                count[0] += bytes.length;
                if (count[0] >= 1 << 20 && writerDoneAtOneMiB.get() == null) {
                    writerDoneAtOneMiB.set(Files.exists(done));
                }
                synchronized (this) {
                    this.received.reset(); // keep memory small; the digest holds the content
                }
            }
        };
        sink.maxBytesPerCall = 16 * 1024;
        sink.nanosPerCall = 1_000_000L;
        transport.start(sh("slow", 8, "cat '" + data + "' && touch '" + done + "'"), sink);
        sink.awaitEnd(Duration.ofSeconds(60));
        assertNull(sink.failure);
        assertEquals(4 << 20, count[0]);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(data)), digest.digest());
        assertEquals(Boolean.FALSE, writerDoneAtOneMiB.get(), "the writer must wait for the slow sink, not finish");
    }

    @Test
    void startReturnsAtOnceBecauseReaderIsOpenBeforeSpawn() throws Exception {
        RecordingSink sink = new RecordingSink(4);
        CaptureStream stream = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> transport.start(sh("waiting", 4, "exec sleep 30"), sink),
                "opening the FIFO for the sidecar's stdout must not wait for a reader");
        stream.stop();
        sink.awaitEnd(END);
        assertNull(sink.failure);
    }

    @Test
    void endsCleanlyAtEof() throws Exception {
        RecordingSink sink = new RecordingSink(6);
        CaptureStream stream = transport.start(sh("eof", 6, "printf abcdefghijkl"), sink);
        sink.awaitEnd(END);
        assertNull(sink.failure);
        assertEquals("abcdefghijkl", new String(sink.bytes()));
        assertTrue(stream.isEnded());
        stream.stop(); // after the end: nothing happens
        assertEquals(1, sink.ends.get());
    }

    @Test
    void readsFifoNamedInCommand() throws Exception {
        RecordingSink sink = new RecordingSink(6);
        transport.start(new SidecarSpec("named", List.of("/bin/sh", "-c", "echo starting; printf abcdef > \"$1\"",
                "sh", SidecarSpec.FIFO_PLACEHOLDER), false, 6, null, null), sink);
        sink.awaitEnd(END);
        assertNull(sink.failure);
        assertEquals("abcdef", new String(sink.bytes()));
    }

    @Test
    void passesEnvironment() throws Exception {
        RecordingSink sink = new RecordingSink(3);
        transport.start(new SidecarSpec("env", List.of("/bin/sh", "-c", "printf %s \"$CAPSTAN_TEST\""), true, 3, null,
                java.util.Map.of("CAPSTAN_TEST", "xyz")), sink);
        sink.awaitEnd(END);
        assertNull(sink.failure);
        assertEquals("xyz", new String(sink.bytes()));
    }

    @Test
    void failsSidecarThatNeverDeliversData() throws Exception {
        transport.deactivate();
        transport = transport(Duration.ofMillis(300), Duration.ofSeconds(3));
        Path pidFile = temp.resolve("pid");
        RecordingSink sink = new RecordingSink(4);
        long started = System.nanoTime();
        transport.start(sh("silent", 4, "echo $$ > '" + pidFile + "'; exec sleep 30"), sink);
        sink.awaitEnd(END);
        assertNotNull(sink.failure);
        assertTrue(sink.failure.getMessage().contains("no data from silent within 300 ms"), sink.failure.getMessage());
        assertTrue(sink.endedAtNanos - started < TimeUnit.SECONDS.toNanos(3), "failure came too late");
        assertProcessGone(pidFile);
    }

    @Test
    void failsSidecarThatHangsAfterSomeDataKeepingWhatItDelivered() throws Exception {
        transport.deactivate();
        transport = transport(Duration.ofMillis(300), Duration.ofSeconds(3));
        Path pidFile = temp.resolve("pid");
        RecordingSink sink = new RecordingSink(4);
        long started = System.nanoTime();
        transport.start(sh("hung", 4, "printf abcdefgh; echo $$ > '" + pidFile + "'; exec sleep 30"), sink);
        sink.awaitEnd(END);
        assertEquals("abcdefgh", new String(sink.bytes()), "what came before the hang is delivered");
        assertNotNull(sink.failure);
        assertTrue(sink.failure.getMessage().contains("stopped delivering data: nothing for 300 ms after 8 bytes"),
                sink.failure.getMessage());
        assertTrue(sink.endedAtNanos - started < TimeUnit.SECONDS.toNanos(3), "failure came too late");
        assertProcessGone(pidFile);
    }

    @Test
    void failsSidecarThatExitsWithStatusAndStderr() throws Exception {
        RecordingSink sink = new RecordingSink(6);
        String script = "printf abcdef; for i in 01 02 03 04 05 06 07 08 09 10 11 12; do echo err-$i >&2; done;"
                + " echo 'target not found' >&2; exit 3";
        long started = System.nanoTime();
        transport.start(sh("failing", 6, script), sink);
        sink.awaitEnd(END);
        assertTrue(sink.endedAtNanos - started < TimeUnit.SECONDS.toNanos(2), "failure must come within 2 s of exit");
        assertEquals("abcdef", new String(sink.bytes()), "data written before the exit is delivered");
        assertNotNull(sink.failure);
        String message = sink.failure.getMessage();
        assertTrue(message.contains("status 3"), message);
        assertTrue(message.contains("target not found"), message);
        assertTrue(message.contains("err-04") && !message.contains("err-03"), "last 10 lines only: " + message);
    }

    @Test
    void keepsDataOfSidecarKilledMidTake() throws Exception {
        Path data = randomFile("data", 50_000); // fits into the pipe: written before the kill
        Path pidFile = temp.resolve("pid");
        RecordingSink sink = new RecordingSink(4);
        sink.gate = new CountDownLatch(1);
        transport.start(sh("victim", 4,
                "cat '" + data + "'; echo $$ > '" + pidFile + ".tmp'; mv '" + pidFile + ".tmp' '" + pidFile
                        + "'; exec sleep 60"),
                sink);
        awaitCondition(() -> Files.exists(pidFile), Duration.ofSeconds(10));
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertEquals(0, new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor());
        sink.gate.countDown();
        sink.awaitEnd(END);
        assertArrayEquals(Files.readAllBytes(data), sink.bytes(), "everything written before the kill is delivered");
        assertNotNull(sink.failure);
        String message = sink.failure.getMessage();
        assertTrue(message.contains("signal 9") && message.contains("SIGKILL"), message);
    }

    @Test
    void stopTerminatesSidecarAndDrains() throws Exception {
        RecordingSink sink = new RecordingSink(6);
        CaptureStream stream = transport.start(sh("stoppable", 6,
                "trap 'sleep 0.3; printf ghijkl; exit 0' TERM; printf abcdef; while :; do sleep 0.05; done"), sink);
        sink.awaitFirstWrite(END);
        assertFalse(stream.isEnded());
        stream.stop();
        sink.awaitEnd(END);
        assertNull(sink.failure);
        assertEquals("abcdefghijkl", new String(sink.bytes()), "what the sidecar writes after SIGTERM is delivered");
        assertTrue(stream.isEnded());
    }

    @Test
    void stopEndsCleanlyWhenSigtermKillsSidecar() throws Exception {
        RecordingSink sink = new RecordingSink(6);
        CaptureStream stream = transport.start(sh("plain", 6, "printf abcdef; exec sleep 60"), sink);
        sink.awaitFirstWrite(END);
        stream.stop();
        sink.awaitEnd(END);
        assertNull(sink.failure, "exit 143 after our SIGTERM is a clean end");
    }

    /** pw-record 0.3.65 exits with status 1 on SIGTERM: a stop we asked for is still a clean end. */
    @Test
    void stopEndsCleanlyWhenSidecarExitsWithErrorOnSigterm() throws Exception {
        RecordingSink sink = new RecordingSink(6);
        CaptureStream stream = transport.start(sh("pwrecordlike", 6,
                "trap 'exit 1' TERM; printf abcdef; while :; do sleep 0.05; done"), sink);
        sink.awaitFirstWrite(END);
        stream.stop();
        sink.awaitEnd(END);
        assertNull(sink.failure, "exit status 1 after our SIGTERM is a clean end");
    }

    @Test
    void stopKillsSidecarThatIgnoresSigterm() throws Exception {
        transport.deactivate();
        transport = transport(Duration.ofSeconds(5), Duration.ofMillis(300));
        Path pidFile = temp.resolve("pid");
        RecordingSink sink = new RecordingSink(6);
        CaptureStream stream = transport.start(sh("stubborn", 6,
                "trap '' TERM; echo $$ > '" + pidFile + "'; printf abcdef; exec sleep 60"), sink);
        sink.awaitFirstWrite(END);
        long stopped = System.nanoTime();
        stream.stop();
        sink.awaitEnd(END);
        assertNull(sink.failure);
        assertTrue(sink.endedAtNanos - stopped < TimeUnit.SECONDS.toNanos(3), "SIGKILL after the stop timeout");
        assertProcessGone(pidFile);
    }

    @Test
    void stopsWhenSinkWantsNoMoreFrames() throws Exception {
        Path pidFile = temp.resolve("pid");
        RecordingSink sink = new RecordingSink(6);
        sink.declineAfterFirstWrite = true;
        transport.start(sh("limited", 6, "echo $$ > '" + pidFile + "'; while :; do printf abcdef; sleep 0.01; done"),
                sink);
        sink.awaitEnd(END);
        assertNull(sink.failure);
        assertEquals(0, sink.writesAfterDecline.get(), "no writes after the sink returned false");
        assertProcessGone(pidFile);
    }

    @Test
    void turnsSinkExceptionIntoFailure() throws Exception {
        Path pidFile = temp.resolve("pid");
        RecordingSink sink = new RecordingSink(6);
        IllegalStateException boom = new IllegalStateException("disk full");
        sink.toThrow = boom;
        transport.start(sh("victim", 6, "echo $$ > '" + pidFile + "'; printf abcdef; exec sleep 60"), sink);
        sink.awaitEnd(END);
        assertNotNull(sink.failure);
        assertTrue(sink.failure.getMessage().contains("disk full"), sink.failure.getMessage());
        assertSame(boom, sink.failure.getCause());
        assertProcessGone(pidFile);
    }

    @Test
    void failsToStartMissingProgram() throws Exception {
        RecordingSink sink = new RecordingSink(8);
        CaptureException e = assertThrows(CaptureException.class, () -> transport
                .start(SidecarSpec.ofStdout("pw", 8, List.of("/nonexistent/capstan/pw-record", "--rate", "48000", "-")), sink));
        assertTrue(e.getMessage().contains("/nonexistent/capstan/pw-record --rate 48000 -"), e.getMessage());
        assertTrue(e.getMessage().contains("install pipewire-bin"), e.getMessage());
        e = assertThrows(CaptureException.class,
                () -> transport.start(SidecarSpec.ofStdout("x", 8, List.of("capstan-no-such-program")), sink));
        assertTrue(e.getMessage().contains("install the program that provides 'capstan-no-such-program'"),
                e.getMessage());
        assertEquals(0, sink.ends.get(), "no end for a stream that never started");
        assertEquals(List.of(), fifos());
    }

    @Test
    void unlinksFifoInEveryPath() throws Exception {
        transport.deactivate();
        transport = transport(Duration.ofMillis(300), Duration.ofMillis(500));
        run(sh("eof", 1, "printf a"), new RecordingSink(1), false);
        run(sh("exit", 1, "printf a; exit 3"), new RecordingSink(1), false);
        run(sh("killed", 1, "printf a; kill -9 $$"), new RecordingSink(1), false);
        run(sh("stop", 1, "printf a; exec sleep 30"), new RecordingSink(1), true);
        RecordingSink throwing = new RecordingSink(1);
        throwing.toThrow = new IllegalStateException("boom");
        run(sh("throw", 1, "printf a; exec sleep 30"), throwing, false);
        RecordingSink declining = new RecordingSink(1);
        declining.declineAfterFirstWrite = true;
        run(sh("decline", 1, "while :; do printf a; sleep 0.01; done"), declining, false);

        RecordingSink silent = new RecordingSink(1);
        transport.start(sh("silent", 1, "exec sleep 30"), silent);
        assertEquals(1, fifos().size(), "the FIFO exists while the take runs");
        silent.awaitEnd(END);
        assertNotNull(silent.failure);
        assertEquals(List.of(), fifos(), "FIFO left after the first-data timeout");

        assertThrows(CaptureException.class, () -> transport
                .start(SidecarSpec.ofStdout("missing", 1, List.of("capstan-no-such")), new RecordingSink(1)));
        assertEquals(List.of(), fifos(), "FIFO left after a failed start");
    }

    /** Runs one take; checks that its FIFO existed while frames came and is gone at the end. */
    private void run(SidecarSpec spec, RecordingSink sink, boolean stop) throws Exception {
        AtomicReference<List<Path>> during = new AtomicReference<>();
        sink.onFirstWrite = () -> during.compareAndSet(null, fifosUnchecked());
        CaptureStream stream = transport.start(spec, sink);
        if (stop) {
            sink.awaitFirstWrite(END);
            stream.stop();
        }
        sink.awaitEnd(END);
        assertEquals(1, during.get() == null ? -1 : during.get().size(), spec.name() + ": FIFO while frames came");
        assertEquals(List.of(), fifos(), spec.name() + ": FIFO left at the end");
    }

    private List<Path> fifosUnchecked() {
        try {
            return fifos();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void createsFifoPrivateInPrivateRuntimeDirectory() throws Exception {
        AtomicReference<String> fifoMode = new AtomicReference<>();
        RecordingSink sink = new RecordingSink(1) {
            @Override
            void afterWrite(byte[] bytes) {
                try (Stream<Path> files = Files.list(runtime)) {
                    Path fifo = files.findFirst().orElseThrow();
                    fifoMode.compareAndSet(null, fifo.getFileName() + " " + Files.readAttributes(fifo,
                            java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()
                            + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo)));
                } catch (IOException e) {
                    fifoMode.set(e.toString());
                }
            }
        };
        transport.start(sh("perm", 1, "printf a"), sink);
        sink.awaitEnd(END);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime)));
        assertTrue(fifoMode.get().matches("pcm-" + ProcessHandle.current().pid() + "-\\d+\\.fifo true rw-------"),
                fifoMode.get());
        assertEquals(runtime, transport.runtimeDirectory());
    }

    @Test
    void deactivateStopsRunningSidecars() throws Exception {
        Path pidFile = temp.resolve("pid");
        RecordingSink sink = new RecordingSink(6);
        transport.start(sh("running", 6, "echo $$ > '" + pidFile + "'; printf abcdef; exec sleep 60"), sink);
        sink.awaitFirstWrite(END);
        transport.deactivate();
        assertEquals(1, sink.ends.get(), "deactivate returns after the end");
        assertProcessGone(pidFile);
        assertThrows(CaptureException.class, () -> transport.start(sh("late", 1, "printf a"), new RecordingSink(1)));
    }

    private List<Path> fifos() throws IOException {
        if (!Files.exists(runtime)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(runtime)) {
            return files.toList();
        }
    }

    private static void assertProcessGone(Path pidFile) throws Exception {
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(p -> {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("sidecar " + pid + " still runs", e);
            }
        });
    }

    /** Bounded wait for a condition the test cannot be notified of (a file another process writes). */
    private static void awaitCondition(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            LockSupport.parkNanos(10_000_000L);
        }
    }
}
