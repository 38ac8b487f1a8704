package io.capstan.backend.platform.coreaudio.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStatistics;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;

/**
 * One take's input AudioQueue. The queue's thread only copies (see {@link FrameDelivery}); a
 * named control thread waits for the end (stop, sink full, device gone), closes the queue off
 * the real-time thread, then calls {@code FrameSink.end} once.
 */
final class CoreAudioCapture implements CaptureStream {

    private final Device device;
    private final int bytesPerFrame;
    private final FrameDelivery delivery;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicReference<CaptureException> failure = new AtomicReference<>();
    private volatile Hal.InputQueue queue;

    CoreAudioCapture(Device device, int bytesPerFrame, FrameDelivery delivery) {
        this.device = device;
        this.bytesPerFrame = bytesPerFrame;
        this.delivery = delivery;
    }

    /** Starts the control thread that ends the take; {@code endSink} runs on it after the queue is closed. */
    void started(Hal.InputQueue q, java.util.function.Consumer<CaptureException> endSink) {
        this.queue = q;
        Thread control = new Thread(() -> {
            try {
                stopRequested.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.close();
            endSink.accept(failure.get());
            ended.countDown();
        }, "capstan-coreaudio-" + device.id());
        control.setDaemon(true);
        control.start();
    }

    /** The device went away: end the take with what it has, saying why. */
    void deviceGone() {
        failure.compareAndSet(null, new CaptureException("device " + device.id() + " (" + device.description()
                + ") disappeared during the take; its chunks so far are sealed"));
        stopRequested.countDown();
    }

    /** Called on the queue's thread when the sink wants no more: only counts a latch down. */
    void sinkFull() {
        stopRequested.countDown();
    }

    @Override
    public void stop() {
        stopRequested.countDown();
    }

    @Override
    public boolean isEnded() {
        return ended.getCount() == 0;
    }

    /** Waits for the end (bounded by the caller). */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ended.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public CaptureStatistics statistics() {
        long overrunBytes = delivery.overrunBytes();
        return new CaptureStatistics(delivery.buffers(), delivery.longestNanos(), overrunBytes > 0 ? 1 : 0,
                overrunBytes / bytesPerFrame, 0, 0);
    }

    Device device() {
        return device;
    }
}
