package io.capstan.capture.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.capstan.api.AudioFormat;
import io.capstan.api.Levels;

/**
 * Peak and RMS levels per channel of interleaved PCM, with peak hold and a clip indicator.
 * Samples are accumulated into a block by {@link #accept}; {@link #snapshot} closes the block and
 * reports it. Not thread-safe: one metering thread feeds and reads it.
 */
final class LevelMeter {

    /** A sample at or above this magnitude (full scale minus about 0.01 dB) counts as clipping. */
    static final double CLIP = 0.999;

    private final AudioFormat format;
    private final long holdNanos;
    private final double[] blockPeak;
    private final double[] blockSquares;
    private long blockFrames;
    private long frames;
    private final double[] peakDb;
    private final double[] rmsDb;
    private final double[] holdDb;
    private final long[] holdSince;
    private final long[] clipUntil;

    LevelMeter(AudioFormat format, long holdNanos) {
        this.format = format;
        this.holdNanos = holdNanos;
        int n = format.channels();
        blockPeak = new double[n];
        blockSquares = new double[n];
        peakDb = filled(n);
        rmsDb = filled(n);
        holdDb = filled(n);
        holdSince = new long[n];
        clipUntil = new long[n];
    }

    private static double[] filled(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Levels.FLOOR_DBFS);
        return a;
    }

    /** Adds whole frames from {@code pcm} (position to limit) to the current block. */
    void accept(ByteBuffer pcm) {
        ByteBuffer b = pcm.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int channels = format.channels();
        int bps = format.sampleFormat().bytesPerSample();
        int count = b.remaining() / (bps * channels);
        int p = b.position();
        for (int f = 0; f < count; f++) {
            for (int c = 0; c < channels; c++) {
                double s = sample(b, p);
                p += bps;
                double a = Math.abs(s);
                if (a > blockPeak[c]) {
                    blockPeak[c] = a;
                }
                blockSquares[c] += s * s;
            }
        }
        blockFrames += count;
        frames += count;
    }

    private double sample(ByteBuffer b, int p) {
        return switch (format.sampleFormat()) {
            case S16_LE -> b.getShort(p) / 32768.0;
            case S24_LE -> ((b.get(p) & 0xff) | (b.get(p + 1) & 0xff) << 8 | b.get(p + 2) << 16) / 8388608.0;
            case S32_LE -> b.getInt(p) / 2147483648.0;
            case F32_LE -> b.getFloat(p);
        };
    }

    /**
     * Closes the current block and reports it. When no frame arrived since the last snapshot, the
     * previous block's levels are reported again.
     */
    Levels snapshot(long nowNanos) {
        int n = format.channels();
        boolean[] clipped = new boolean[n];
        for (int c = 0; c < n; c++) {
            if (blockFrames > 0) {
                peakDb[c] = dbfs(blockPeak[c]);
                rmsDb[c] = dbfs(Math.sqrt(blockSquares[c] / blockFrames));
                if (blockPeak[c] >= CLIP) {
                    clipUntil[c] = nowNanos + holdNanos;
                }
            }
            if (peakDb[c] >= holdDb[c] || nowNanos - holdSince[c] > holdNanos) {
                holdDb[c] = peakDb[c];
                holdSince[c] = nowNanos;
            }
            clipped[c] = clipUntil[c] != 0 && nowNanos - clipUntil[c] < 0;
            blockPeak[c] = 0;
            blockSquares[c] = 0;
        }
        blockFrames = 0;
        return new Levels(peakDb, rmsDb, holdDb, clipped, frames);
    }

    /** @return {@code amplitude} (0 to 1) in dBFS, never below {@link Levels#FLOOR_DBFS} */
    static double dbfs(double amplitude) {
        return amplitude <= 0 ? Levels.FLOOR_DBFS : Math.max(Levels.FLOOR_DBFS, 20 * Math.log10(amplitude));
    }
}
