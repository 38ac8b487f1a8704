package io.capstan.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.FrameSink;
import io.capstan.api.SampleFormat;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;

class TakeRunTest {

    private static final AudioFormat MONO_S16 = new AudioFormat(8_000, 1, SampleFormat.S16_LE);
    private static final Device DEVICE = new Device("mic", "Mic", MONO_S16, "test");

    /** Keeps written frames in memory; fails on demand. */
    static final class MemoryWriter implements TakeWriter {
        final ByteBuffer data = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        boolean failWrites;
        /** finish throws this when set (a manifest that cannot be written). */
        StorageException failFinish;
        TakeState finalState;
        String finalReason;

        @Override
        public String takeId() {
            return "t1";
        }

        @Override
        public void write(ByteBuffer frames) throws StorageException {
            if (failWrites) {
                throw new StorageException("disk full");
            }
            data.put(frames);
        }

        @Override
        public long frames() {
            return data.position() / 2;
        }

        @Override
        public int chunksSealed() {
            return 0;
        }

        @Override
        public Take finish(TakeState state, String reason) throws StorageException {
            if (failFinish != null) {
                throw failFinish;
            }
            finalState = state;
            finalReason = reason;
            return new Take("t1", "mic", "Mic", "test", MONO_S16, state, Instant.EPOCH, Instant.EPOCH, frames(),
                    List.of(), reason);
        }
    }

    private final MemoryWriter writer = new MemoryWriter();
    private final List<TakeRun> ended = new ArrayList<>();

    private TakeRun run(long limit) {
        return new TakeRun(DEVICE, MONO_S16, writer, limit, Runnable::run, ended::add);
    }

    private static ByteBuffer frames(int first, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putShort((short) (first + i));
        }
        return b.flip();
    }

    @Test
    void aTakeNobodyMetersToleratesAnyLatencyAndAMeteredOneWantsItsFramesLive() {
        TakeRun run = run(0);
        assertEquals(FrameSink.ANY_LATENCY, run.latencyNanos(), "unmetered: the backend may batch as it likes");
        run.meter(new TakeLevels(MONO_S16, 1.0));
        assertEquals(FrameSink.LIVE_LATENCY_NANOS, run.latencyNanos(), "metered: level events follow the audio");
        run.meter(null);
        assertEquals(FrameSink.ANY_LATENCY, run.latencyNanos(), "the meter went");
    }

    @Test
    void stopsAtExactlyTheFrameLimit() throws Exception {
        TakeRun run = run(2500);
        assertTrue(run.write(frames(0, 1000)));
        assertTrue(run.write(frames(1000, 1000)));
        ByteBuffer third = frames(2000, 1000);
        assertFalse(run.write(third), "the write that reaches the limit says stop");
        assertEquals(500 * 2, third.remaining(), "the 500 frames past the limit are not taken");
        assertFalse(run.write(frames(3000, 10)));
        run.end(null);
        Take take = run.awaitEnd(Duration.ofSeconds(5));
        assertEquals(2500, take.frames());
        assertEquals(TakeState.COMPLETE, take.state());
        assertTrue(take.reason().contains("frame limit"), take.reason());
        for (int i = 0; i < 2500; i++) {
            assertEquals((short) i, writer.data.getShort(i * 2), "frame " + i);
        }
        assertEquals(List.of(run), ended);
    }

    @Test
    void failsTakeWhenBackendFails() throws Exception {
        TakeRun run = run(0);
        run.write(frames(0, 100));
        run.end(new CaptureException("pw-record exited with status 1"));
        Take take = run.awaitEnd(Duration.ofSeconds(5));
        assertEquals(TakeState.FAILED, take.state());
        assertEquals(100, take.frames(), "frames before the failure are kept");
        assertEquals("pw-record exited with status 1", take.reason());
    }

    @Test
    void failsTakeWhenStorageFails() throws Exception {
        TakeRun run = run(0);
        writer.failWrites = true;
        assertFalse(run.write(frames(0, 100)));
        run.end(null);
        Take take = run.awaitEnd(Duration.ofSeconds(5));
        assertEquals(TakeState.FAILED, take.state());
        assertTrue(take.reason().contains("disk full"), take.reason());
    }

    @Test
    void stopBeforeStreamStartedStopsItOnStart() {
        TakeRun run = run(0);
        run.stop();
        AtomicReference<Boolean> stopped = new AtomicReference<>(false);
        run.started(new CaptureStream() {
            @Override
            public void stop() {
                stopped.set(true);
            }

            @Override
            public boolean isEnded() {
                return false;
            }
        });
        assertTrue(stopped.get());
    }

    @Test
    void reportsSourceEndingBeforeTheLimit() throws Exception {
        TakeRun run = run(1000);
        run.write(frames(0, 400));
        run.end(null);
        Take take = run.awaitEnd(Duration.ofSeconds(5));
        assertEquals("source ended after 400 of 1000 frames", take.reason());
    }
}
