package io.capstan.capture.internal;

import java.nio.ByteBuffer;

import io.capstan.api.AudioFormat;
import io.capstan.api.Levels;

/**
 * Levels of one take's own stream, for the {@code capstan/level/UPDATE} events: the capture
 * thread copies what it stored into a {@link ByteRing} ({@link #feed}: no allocation, no lock,
 * no logging); the meter thread drains it into a {@link LevelMeter}. A ring that overflows
 * because the meter thread fell behind drops audio for the meter only, never for the take.
 *
 * <p>Threading: {@link #feed} from the capture thread only, {@link #drain} from one meter thread.
 */
final class TakeLevels {

    private final ByteRing ring;
    private final LevelMeter meter;
    private long lastFrames = -1;

    /** @param seconds how much audio the ring holds between two drains */
    TakeLevels(AudioFormat format, double seconds) {
        int bytes = (int) Math.min(Integer.MAX_VALUE / 2,
                Math.max(1, (long) (seconds * format.sampleRate())) * format.bytesPerFrame());
        this.ring = new ByteRing(bytes, format.bytesPerFrame());
        this.meter = new LevelMeter(format, 1_000_000_000L);
    }

    /** Copies {@code length} bytes (whole frames) at absolute {@code offset}; the buffer is not moved. */
    void feed(ByteBuffer frames, int offset, int length) {
        ring.offer(frames, offset, length);
    }

    /** @return the levels of what arrived since the last call, or null when nothing did */
    Levels drain(long nowNanos) {
        ring.drain(meter::accept);
        Levels levels = meter.snapshot(nowNanos);
        if (levels.frames() == lastFrames) {
            return null;
        }
        lastFrames = levels.frames();
        return levels;
    }

    /** @return a level in dBFS as a linear amplitude (full scale = 1; the floor reads 0) */
    static double linear(double dbfs) {
        return dbfs <= Levels.FLOOR_DBFS ? 0 : Math.pow(10, dbfs / 20);
    }
}
