package io.capstan.capture.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.capstan.api.AudioFormat;
import io.capstan.api.CapstanEvents;
import io.capstan.api.CaptureException;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

class CaptureServiceImplTest {

    private static final Device MIC = new Device("mic", "Mic", new AudioFormat(48_000, 2, SampleFormat.F32_LE),
            "pipewire");

    @Test
    void refusesAnotherRateOrChannelCountNamingTheNativeFormat() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> CaptureServiceImpl.checkFormat(MIC, new AudioFormat(44_100, 2, SampleFormat.F32_LE), false));
        assertTrue(e.getMessage().contains("48000 Hz 2ch natively") && e.getMessage().contains("--convert"),
                e.getMessage());
        assertThrows(CaptureException.class,
                () -> CaptureServiceImpl.checkFormat(MIC, new AudioFormat(48_000, 1, SampleFormat.F32_LE), false));
    }

    @Test
    void acceptsConversionWhenAskedAndAnotherSampleFormatAlways() {
        assertDoesNotThrow(
                () -> CaptureServiceImpl.checkFormat(MIC, new AudioFormat(44_100, 1, SampleFormat.F32_LE), true));
        assertDoesNotThrow(
                () -> CaptureServiceImpl.checkFormat(MIC, new AudioFormat(48_000, 2, SampleFormat.S16_LE), false));
    }

    /**
     * A take whose store cannot finish it (its manifest cannot be written: a full disk) is posted
     * FAILED with the store's words. It used to end with a CompletionException printed on the
     * take-end thread (Issue 8: the stack trace a user saw on a full disk) and no event.
     */
    @Test
    void takeThatCannotBeFinishedIsPostedFailedWithTheReasonNotAStackTrace() throws Exception {
        Events events = new Events();
        CaptureServiceImpl service = new CaptureServiceImpl(null, null, events, 0);
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        java.util.List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            AudioFormat mono = new AudioFormat(8_000, 1, SampleFormat.S16_LE);
            TakeRunTest.MemoryWriter writer = new TakeRunTest.MemoryWriter();
            writer.failFinish = new io.capstan.api.StorageException("cannot write the manifest of take 't1': No space left on device");
            TakeRun run = new TakeRun(new Device("mic", "Mic", mono, "test"), mono, writer, 0,
                    r -> new Thread(r, "capstan-take-end-test").start(), service::ended);
            service.track(run);
            run.end(null);

            Event failed = events.next(CapstanEvents.TAKE_FAILED);
            assertNotNull(failed, "the take's failure is posted");
            assertEquals("cannot write the manifest of take 't1': No space left on device",
                    failed.getProperty(CapstanEvents.REASON));
            CaptureException e = assertThrows(CaptureException.class, () -> run.awaitEnd(Duration.ofSeconds(5)));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertTrue(service.active().isEmpty(), "no longer active");
            assertEquals(java.util.List.of(), uncaught, "nothing escaped to the terminal");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
            service.deactivate();
        }
    }

    /** Keeps posted events. */
    static final class Events implements EventAdmin {
        final BlockingQueue<Event> posted = new LinkedBlockingQueue<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            posted.add(event);
        }

        Event next(String topic) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            for (Event e; (e = posted.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS)) != null;) {
                if (e.getTopic().equals(topic)) {
                    return e;
                }
            }
            return null;
        }
    }

    @Test
    void metersOnlyWhileATakeRecordsAndALevelHandlerListens() throws Exception {
        Events events = new Events();
        CaptureServiceImpl service = new CaptureServiceImpl(null, null, events, 20);
        try {
            assertFalse(service.metering(), "idle: no meter task");
            service.addLevelHandler(null);
            assertFalse(service.metering(), "a listener but no take: no meter task");

            AudioFormat mono = new AudioFormat(8_000, 1, SampleFormat.S16_LE);
            TakeRun run = new TakeRun(new Device("mic", "Mic", mono, "test"), mono, new TakeRunTest.MemoryWriter(), 0,
                    Runnable::run, service::ended);
            service.track(run);
            assertTrue(service.metering(), "a take and a listener: metering");
            ByteBuffer frames = ByteBuffer.allocate(1600).order(ByteOrder.LITTLE_ENDIAN);
            while (frames.hasRemaining()) {
                frames.putShort((short) 16384);
            }
            run.write(frames.flip());
            Event level = events.next(CapstanEvents.LEVEL);
            assertNotNull(level, "the meter posts the take's levels");
            assertEquals(run.id(), level.getProperty(CapstanEvents.TAKE_ID));

            service.removeLevelHandler(null);
            assertFalse(service.metering(), "the listener went: the meter stops");
            service.addLevelHandler(null);
            assertTrue(service.metering(), "a listener again during the take");
            run.end(null);
            run.awaitEnd(Duration.ofSeconds(5));
            assertNotNull(events.next(CapstanEvents.TAKE_STOPPED), "the take's end is posted");
            assertFalse(service.metering(), "the take ended: the meter stops");
        } finally {
            service.deactivate();
        }
    }
}
