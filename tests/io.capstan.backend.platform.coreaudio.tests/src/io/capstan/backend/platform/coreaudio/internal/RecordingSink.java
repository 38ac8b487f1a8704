package io.capstan.backend.platform.coreaudio.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.capstan.api.CaptureException;
import io.capstan.api.FrameSink;

/** Keeps what it is given; can stop after a number of bytes. */
class RecordingSink implements FrameSink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CountDownLatch ended = new CountDownLatch(1);
    final int bytesPerFrame;
    final long limitBytes;
    volatile CaptureException failure;
    int writes;

    RecordingSink(int bytesPerFrame, long limitBytes) {
        this.bytesPerFrame = bytesPerFrame;
        this.limitBytes = limitBytes;
    }

    @Override
    public boolean write(ByteBuffer frames) {
        if (frames.remaining() % bytesPerFrame != 0) {
            throw new AssertionError("partial frame handed to the sink: " + frames.remaining() + " bytes");
        }
        writes++;
        int n = (int) Math.min(frames.remaining(), limitBytes - bytes.size());
        byte[] b = new byte[n];
        frames.get(b);
        bytes.write(b, 0, n);
        return bytes.size() < limitBytes;
    }

    @Override
    public void end(CaptureException f) {
        failure = f;
        ended.countDown();
    }

    boolean awaitEnd() throws InterruptedException {
        return ended.await(5, TimeUnit.SECONDS);
    }
}
