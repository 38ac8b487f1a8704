package io.capstan.capture.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.capstan.api.AudioFormat;

/**
 * Peak and RMS per channel of one take, measured off the capture thread. The capture thread only
 * copies the bytes it stored into a preallocated ring ({@link #feed}: no allocation, no lock, no
 * logging); the meter thread reads what arrived since its last look ({@link #drain}) and
 * computes the levels. When the meter thread falls behind by more than half the ring, it skips to
 * the newest half: a level meter shows the present, it is not the record (the store is).
 *
 * <p>Threading: {@link #feed} from the capture thread only, {@link #drain} from one meter thread.
 */
final class LevelMeter {

    /**
     * Levels over some frames.
     *
     * @param peak   per channel, the largest absolute sample, 0..1 (full scale = 1)
     * @param rms    per channel, the root mean square, 0..1
     * @param frames frames measured
     */
    record Levels(double[] peak, double[] rms, long frames) {
    }

    private final AudioFormat format;
    private final int bytesPerFrame;
    private final byte[] ring;
    private volatile long written;
    private long read;

    /** @param seconds how much audio the ring holds (at least one frame) */
    LevelMeter(AudioFormat format, double seconds) {
        this.format = format;
        this.bytesPerFrame = format.bytesPerFrame();
        long frames = Math.max(1, (long) (seconds * format.sampleRate()));
        this.ring = new byte[(int) Math.min(Integer.MAX_VALUE / 2, frames * bytesPerFrame)];
    }

    /** Copies {@code length} bytes (whole frames) at absolute {@code offset} of {@code frames}; the buffer is not moved. */
    void feed(ByteBuffer frames, int offset, int length) {
        long w = written;
        int done = 0;
        while (done < length) {
            int at = (int) ((w + done) % ring.length);
            int n = Math.min(length - done, ring.length - at);
            frames.get(offset + done, ring, at, n);
            done += n;
        }
        written = w + length;
    }

    /** @return the levels of what arrived since the last call, or null when nothing did */
    Levels drain() {
        long w = written;
        if (w == read) {
            return null;
        }
        long from = Math.max(read, w - ring.length / 2);
        from -= from % bytesPerFrame;
        read = w;
        int channels = format.channels();
        double[] peak = new double[channels];
        double[] sum = new double[channels];
        int bytesPerSample = format.sampleFormat().bytesPerSample();
        ByteBuffer view = ByteBuffer.wrap(ring).order(ByteOrder.LITTLE_ENDIAN);
        long frames = (w - from) / bytesPerFrame;
        for (long f = 0; f < frames; f++) {
            int base = (int) ((from + f * bytesPerFrame) % ring.length);
            for (int c = 0; c < channels; c++) {
                double x = Math.abs(sample(view, (base + c * bytesPerSample) % ring.length));
                peak[c] = Math.max(peak[c], x);
                sum[c] += x * x;
            }
        }
        double[] rms = new double[channels];
        for (int c = 0; c < channels; c++) {
            rms[c] = frames == 0 ? 0 : Math.sqrt(sum[c] / frames);
        }
        return new Levels(peak, rms, frames);
    }

    /** One sample scaled to full scale = 1; a sample never straddles the ring's end (frames are whole). */
    private double sample(ByteBuffer view, int at) {
        return switch (format.sampleFormat()) {
            case F32_LE -> view.getFloat(at);
            case S16_LE -> view.getShort(at) / 32768.0;
            case S32_LE -> view.getInt(at) / 2147483648.0;
            case S24_LE -> (((ring[at] & 0xff) | (ring[at + 1] & 0xff) << 8 | ring[at + 2] << 16)) / 8388608.0;
        };
    }
}
