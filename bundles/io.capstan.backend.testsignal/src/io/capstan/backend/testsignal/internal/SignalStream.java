package io.capstan.backend.testsignal.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureStream;
import io.capstan.api.FrameSink;

/**
 * Delivers a {@link Signal} in real time: blocks of 10 ms, paced by the monotonic clock, on a
 * thread of its own ({@code capstan-testsignal-<device>}).
 */
final class SignalStream implements CaptureStream {

    private final AudioFormat format;
    private final Signal signal;
    private final FrameSink sink;
    private final Thread thread;
    private volatile boolean stopRequested;
    private volatile boolean ended;

    SignalStream(String deviceId, AudioFormat format, Signal signal, FrameSink sink) {
        this.format = format;
        this.signal = signal;
        this.sink = sink;
        this.thread = new Thread(this::run, "capstan-testsignal-" + deviceId);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        int blockFrames = Math.max(1, format.sampleRate() / 100);
        ByteBuffer block = ByteBuffer.allocateDirect(blockFrames * format.bytesPerFrame()).order(ByteOrder.LITTLE_ENDIAN);
        long start = System.nanoTime();
        long sent = 0;
        try {
            while (!stopRequested) {
                block.clear();
                for (int f = 0; f < blockFrames; f++) {
                    double v = signal.next(format.sampleRate());
                    for (int c = 0; c < format.channels(); c++) {
                        put(block, v);
                    }
                }
                block.flip();
                while (block.hasRemaining() && !stopRequested) {
                    if (!sink.write(block)) {
                        stopRequested = true;
                    }
                }
                sent += blockFrames;
                long due = start + TimeUnit.SECONDS.toNanos(sent) / format.sampleRate();
                long wait;
                while (!stopRequested && (wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        } finally {
            ended = true;
            sink.end(null);
        }
    }

    private void put(ByteBuffer b, double v) {
        switch (format.sampleFormat()) {
            case F32_LE -> b.putFloat((float) v);
            case S16_LE -> b.putShort((short) Math.round(Math.max(-32768, Math.min(32767, v * 32768))));
            case S24_LE -> {
                int s = (int) Math.round(Math.max(-8388608, Math.min(8388607, v * 8388608)));
                b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
            }
            case S32_LE -> b.putInt((int) Math.round(Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v * 2147483648.0))));
        }
    }

    @Override
    public void stop() {
        stopRequested = true;
        LockSupport.unpark(thread);
    }

    /** Stops and waits until the sink was told the end. */
    void stopAndJoin(long millis) throws InterruptedException {
        stop();
        thread.join(millis);
    }

    @Override
    public boolean isEnded() {
        return ended;
    }
}
