package io.capstan.ui.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.capstan.api.AudioFormat;
import io.capstan.api.ChunkRef;
import io.capstan.api.Take;

/**
 * The overview of a take: for each of {@code buckets} equal slices of its frames, the lowest
 * and highest sample over all channels. Read from the sealed chunks ({@code objects/ab/cdef…}).
 *
 * @param min lowest sample per bucket, -1 to 1
 * @param max highest sample per bucket, -1 to 1
 */
record Waveform(float[] min, float[] max) {

    static Waveform of(Take take, Path home, int buckets) throws IOException {
        float[] min = new float[buckets];
        float[] max = new float[buckets];
        AudioFormat f = take.format();
        long total = Math.max(1, take.frames());
        int bps = f.sampleFormat().bytesPerSample();
        for (ChunkRef c : take.chunks()) {
            Path object = home.resolve("objects").resolve(c.sha256().substring(0, 2)).resolve(c.sha256().substring(2));
            try (FileChannel ch = FileChannel.open(object, StandardOpenOption.READ)) {
                MappedByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, Math.min(ch.size(), c.bytes()));
                b.order(ByteOrder.LITTLE_ENDIAN);
                long frames = b.limit() / f.bytesPerFrame();
                for (long i = 0; i < frames; i++) {
                    int bucket = (int) Math.min(buckets - 1, (c.firstFrame() + i) * buckets / total);
                    for (int ch2 = 0; ch2 < f.channels(); ch2++) {
                        int p = (int) (i * f.bytesPerFrame() + ch2 * bps);
                        float s = switch (f.sampleFormat()) {
                            case F32_LE -> b.getFloat(p);
                            case S16_LE -> b.getShort(p) / 32768f;
                            case S24_LE -> ((b.get(p) & 0xff) | (b.get(p + 1) & 0xff) << 8 | b.get(p + 2) << 16) / 8388608f;
                            case S32_LE -> b.getInt(p) / 2147483648f;
                        };
                        min[bucket] = Math.min(min[bucket], s);
                        max[bucket] = Math.max(max[bucket], s);
                    }
                }
            }
        }
        return new Waveform(min, max);
    }
}
