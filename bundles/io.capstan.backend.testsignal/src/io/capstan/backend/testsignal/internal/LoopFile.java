package io.capstan.backend.testsignal.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a WAV file (PCM 16/24/32-bit or float 32) into mono samples for a looped signal. */
record LoopFile(int rate, float[] samples) {

    /** At most this many seconds are read at 48 kHz. */
    private static final int MAX_BYTES = 64 << 20;

    static LoopFile read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(file + " is larger than " + (MAX_BYTES >> 20) + " MiB");
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(file + " is not a RIFF/WAVE file");
        }
        int pos = 12;
        int tag = 0;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                tag = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
            } else if (id == 0x61746164) { // "data"
                if (channels <= 0 || rate <= 0) {
                    throw new IOException(file + ": data before fmt");
                }
                int bytes = bits / 8;
                int frames = Math.min(size, b.limit() - body) / (bytes * channels);
                float[] mono = new float[frames];
                for (int f = 0; f < frames; f++) {
                    double sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += sample(b, body + (f * channels + c) * bytes, tag, bits);
                    }
                    mono[f] = (float) (sum / channels);
                }
                if (frames == 0) {
                    throw new IOException(file + " holds no audio");
                }
                return new LoopFile(rate, mono);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException(file + " has no data chunk");
    }

    private static double sample(ByteBuffer b, int p, int tag, int bits) throws IOException {
        if (tag == 3 && bits == 32) {
            return b.getFloat(p);
        }
        return switch (bits) {
            case 16 -> b.getShort(p) / 32768.0;
            case 24 -> ((b.get(p) & 0xff) | (b.get(p + 1) & 0xff) << 8 | b.get(p + 2) << 16) / 8388608.0;
            case 32 -> b.getInt(p) / 2147483648.0;
            default -> throw new IOException("unsupported WAV sample size " + bits + " bits (format " + tag + ")");
        };
    }
}
