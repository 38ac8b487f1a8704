package io.capstan.capture.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.FrameSink;
import io.capstan.api.LevelTap;
import io.capstan.api.Levels;

/**
 * A monitor stream of one device: its {@link FrameSink} copies into a ring on the capture
 * thread; {@link #meter} (on the metering thread) computes the levels the taps read.
 */
final class Monitor implements FrameSink {

    /** A quarter of a second of audio fits in the ring between two metering passes. */
    private static final int RING_SECONDS_DIVISOR = 4;

    private final Device device;
    private final ByteRing ring;
    private final LevelMeter meter;
    private volatile Levels levels;
    private volatile String problem;
    private volatile boolean ended;
    private volatile CaptureStream stream;
    private int taps;

    Monitor(Device device, long holdNanos) {
        this.device = device;
        var format = device.nativeFormat();
        this.ring = new ByteRing((int) Math.max(format.bytesPerFrame(), format.bytesPerSecond() / RING_SECONDS_DIVISOR),
                format.bytesPerFrame());
        this.meter = new LevelMeter(format, holdNanos);
        this.levels = Levels.silence(format.channels());
    }

    void open(CaptureBackend backend) throws CaptureException {
        stream = backend.open(device, device.nativeFormat(), this);
    }

    Device device() {
        return device;
    }

    boolean isEnded() {
        return ended;
    }

    @Override
    public boolean write(ByteBuffer frames) {
        ring.offer(frames);
        frames.position(frames.limit());
        return true;
    }

    @Override
    public void end(CaptureException failure) {
        problem = failure != null ? failure.getMessage() : "the device stopped delivering audio";
        ended = true;
    }

    void meter(long nowNanos) {
        ring.drain(meter::accept);
        levels = meter.snapshot(nowNanos);
    }

    /** Guarded by the service's lock. */
    LevelTap newTap(Consumer<Monitor> onClose) {
        taps++;
        AtomicBoolean closed = new AtomicBoolean();
        return new LevelTap() {
            @Override
            public Device device() {
                return device;
            }

            @Override
            public Levels levels() {
                return levels;
            }

            @Override
            public String problem() {
                return problem;
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    onClose.accept(Monitor.this);
                }
            }
        };
    }

    /** Guarded by the service's lock. @return taps left */
    int release() {
        return --taps;
    }

    void stop() {
        CaptureStream s = stream;
        if (s != null) {
            s.stop();
        }
    }
}
