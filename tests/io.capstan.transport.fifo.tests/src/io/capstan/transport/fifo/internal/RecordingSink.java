package io.capstan.transport.fifo.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.capstan.api.CaptureException;
import io.capstan.api.FrameSink;

/**
 * Test sink: records every byte and every write, checks frame alignment, counts ends, and can be
 * told to take at most some bytes per call, to be slow, to block until released, to throw or to
 * decline more frames.
 */
class RecordingSink implements FrameSink {

    final int frameBytes;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<byte[]> writes = new ArrayList<>();
    final AtomicInteger misaligned = new AtomicInteger();
    final AtomicInteger ends = new AtomicInteger();
    final AtomicInteger writesAfterDecline = new AtomicInteger();
    final CountDownLatch firstWrite = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);
    volatile CaptureException failure;
    volatile long endedAtNanos;

    int maxBytesPerCall = Integer.MAX_VALUE;
    long nanosPerCall;
    CountDownLatch gate;
    RuntimeException toThrow;
    boolean declineAfterFirstWrite;
    /** Runs on the reader thread before the first write is recorded. */
    volatile Runnable onFirstWrite;
    private boolean declined;

    RecordingSink(int frameBytes) {
        this.frameBytes = frameBytes;
    }

    @Override
    public boolean write(ByteBuffer frames) {
        if (declined) {
            writesAfterDecline.incrementAndGet();
        }
        if (frames.remaining() % frameBytes != 0) {
            misaligned.incrementAndGet();
        }
        Runnable hook = onFirstWrite;
        if (hook != null && firstWrite.getCount() > 0) {
            hook.run();
        }
        if (gate != null) {
            try {
                gate.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (toThrow != null) {
            firstWrite.countDown();
            throw toThrow;
        }
        int n = Math.min(frames.remaining(), maxBytesPerCall);
        byte[] bytes = new byte[n];
        frames.get(bytes);
        synchronized (this) {
            received.write(bytes, 0, n);
            writes.add(bytes);
        }
        afterWrite(bytes);
        firstWrite.countDown();
        if (nanosPerCall > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(nanosPerCall); // a slow consumer
        }
        if (declineAfterFirstWrite) {
            declined = true;
            return false;
        }
        return true;
    }

    /** Hook for tests: called on the reader thread after each write was recorded. */
    void afterWrite(byte[] bytes) {
    }

    @Override
    public void end(CaptureException reason) {
        failure = reason;
        endedAtNanos = System.nanoTime();
        ends.incrementAndGet();
        ended.countDown();
    }

    synchronized byte[] bytes() {
        return received.toByteArray();
    }

    synchronized List<String> writesAsText() {
        return writes.stream().map(String::new).toList();
    }

    /** Waits (bounded) for end(); fails the test when it does not come. */
    void awaitEnd(Duration timeout) throws InterruptedException {
        if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("sink.end was not called within " + timeout);
        }
    }

    void awaitFirstWrite(Duration timeout) throws InterruptedException {
        if (!firstWrite.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no frames within " + timeout);
        }
    }
}
