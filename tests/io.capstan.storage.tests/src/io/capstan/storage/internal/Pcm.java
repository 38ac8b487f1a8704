package io.capstan.storage.internal;

import io.capstan.api.AudioFormat;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Test PCM whose every byte depends on its frame number, so a lost, doubled or moved frame shows. */
final class Pcm {

    static final AudioFormat STEREO_S16 = new AudioFormat(48_000, 2, SampleFormat.S16_LE);
    static final Device DEVICE = new Device("test-mic", "Test microphone", STEREO_S16, "test");

    private Pcm() {
    }

    /** @return the byte at {@code offset} of a take's PCM */
    static byte at(long offset) {
        return (byte) (offset * 131 + (offset >>> 9) * 7 + 3);
    }

    /** @return {@code frames} frames of the pattern starting at frame {@code first} */
    static ByteBuffer frames(AudioFormat f, long first, int frames) {
        ByteBuffer b = ByteBuffer.allocate(frames * f.bytesPerFrame());
        long base = first * f.bytesPerFrame();
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, at(base + i));
        }
        return b;
    }

    /** @return the index of the first byte of {@code data} that differs from the pattern from {@code offset}, or -1 */
    static long mismatch(ByteBuffer data, long offset) {
        for (int i = data.position(); i < data.limit(); i++) {
            if (data.get(i) != at(offset + i - data.position())) {
                return offset + i - data.position();
            }
        }
        return -1;
    }

    /** @return a store in {@code home} with small chunks */
    static FileChunkStore store(RecordingEventAdmin events, Path home, int chunkBytes) throws Exception {
        return new FileChunkStore(events, new StoreSettings(home, chunkBytes, WavWriter.RIFF_LIMIT));
    }
}
