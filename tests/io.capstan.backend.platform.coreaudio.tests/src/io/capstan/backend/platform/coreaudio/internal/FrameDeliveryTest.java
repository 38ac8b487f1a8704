package io.capstan.backend.platform.coreaudio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class FrameDeliveryTest {

    private final FakeHal hal = new FakeHal();

    private static byte[] bytes(int from, int count) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void deliversWholeFramesAndCarriesAPartialOne() {
        RecordingSink sink = new RecordingSink(8, Long.MAX_VALUE);
        FrameDelivery d = new FrameDelivery(sink, 8, 64, hal::copierFor, () -> { });
        FakeHal.FakeQueue q = hal.new FakeQueue("x", d::onBuffer);
        q.deliver(bytes(0, 20));
        assertEquals(16, sink.bytes.size());
        assertEquals(4, d.carriedBytes());
        q.deliver(bytes(20, 12));
        assertArrayEquals(bytes(0, 32), sink.bytes.toByteArray());
        assertEquals(4, d.frames());
        assertEquals(2, d.buffers());
    }

    @Test
    void stopsOnceWhenSinkIsFull() {
        RecordingSink sink = new RecordingSink(4, 12);
        AtomicInteger full = new AtomicInteger();
        FrameDelivery d = new FrameDelivery(sink, 4, 64, hal::copierFor, full::incrementAndGet);
        FakeHal.FakeQueue q = hal.new FakeQueue("x", d::onBuffer);
        q.deliver(bytes(0, 8));
        q.deliver(bytes(8, 8));
        q.deliver(bytes(16, 8));
        assertEquals(12, sink.bytes.size());
        assertEquals(1, full.get());
        assertEquals(3, d.frames());
    }

    @Test
    void countsBytesThatDoNotFitAsOverrun() {
        RecordingSink sink = new RecordingSink(4, Long.MAX_VALUE) {
            @Override
            public boolean write(java.nio.ByteBuffer frames) {
                return true; // takes nothing: the staging buffer fills up
            }
        };
        FrameDelivery d = new FrameDelivery(sink, 4, 16, hal::copierFor, () -> { });
        FakeHal.FakeQueue q = hal.new FakeQueue("x", d::onBuffer);
        q.deliver(bytes(0, 16));
        q.deliver(bytes(16, 16));
        assertTrue(d.overrunBytes() >= 12, "overrun " + d.overrunBytes());
    }
}
