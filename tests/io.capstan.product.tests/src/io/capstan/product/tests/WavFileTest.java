package io.capstan.product.tests;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFileTest {

    private static final double[][] STEREO = {
        {0.0, 0.5, -0.5, 0.25, -1.0},
        {0.125, -0.25, 0.75, -0.125, 0.5},
    };

    @TempDir
    Path dir;

    @Test
    void readsFloat32() throws IOException {
        Path file = dir.resolve("f32.wav");
        Files.write(file, wav(false, WavFile.WAVE_FORMAT_IEEE_FLOAT, 48000, 32, STEREO));

        WavFile wav = WavFile.read(file);

        assertEquals(WavFile.WAVE_FORMAT_IEEE_FLOAT, wav.formatTag());
        assertTrue(wav.floatingPoint());
        assertEquals(48000, wav.sampleRate());
        assertEquals(2, wav.channels());
        assertEquals(32, wav.bitsPerSample());
        assertEquals(5, wav.frames());
        assertArrayEquals(STEREO[0], wav.samples()[0]);
        assertArrayEquals(STEREO[1], wav.samples()[1]);
    }

    @Test
    void readsSigned16() throws IOException {
        WavFile wav = WavFile.decode(wav(false, WavFile.WAVE_FORMAT_PCM, 44100, 16, STEREO), "s16");

        assertFalse(wav.floatingPoint());
        assertEquals(44100, wav.sampleRate());
        assertEquals(16, wav.bitsPerSample());
        assertArrayEquals(STEREO[0], wav.samples()[0], 1.0 / 32768);
        assertArrayEquals(STEREO[1], wav.samples()[1], 1.0 / 32768);
    }

    @Test
    void readsSigned24() throws IOException {
        WavFile wav = WavFile.decode(wav(false, WavFile.WAVE_FORMAT_PCM, 48000, 24, STEREO), "s24");

        assertEquals(24, wav.bitsPerSample());
        assertArrayEquals(STEREO[0], wav.samples()[0], 1.0 / 8388608);
        assertArrayEquals(STEREO[1], wav.samples()[1], 1.0 / 8388608);
    }

    @Test
    void readsSigned32() throws IOException {
        WavFile wav = WavFile.decode(wav(false, WavFile.WAVE_FORMAT_PCM, 48000, 32, STEREO), "s32");

        assertArrayEquals(STEREO[0], wav.samples()[0], 1e-9);
        assertArrayEquals(STEREO[1], wav.samples()[1], 1e-9);
    }

    @Test
    void readsExtensibleFloat() throws IOException {
        WavFile wav = WavFile.decode(wav(false, WavFile.WAVE_FORMAT_EXTENSIBLE, 48000, 32, STEREO), "ext");

        assertEquals(WavFile.WAVE_FORMAT_EXTENSIBLE, wav.formatTag());
        assertTrue(wav.floatingPoint());
        assertArrayEquals(STEREO[1], wav.samples()[1]);
    }

    @Test
    void readsRf64WithSizesInDs64() throws IOException {
        WavFile wav = WavFile.decode(wav(true, WavFile.WAVE_FORMAT_IEEE_FLOAT, 96000, 32, STEREO), "rf64");

        assertEquals(96000, wav.sampleRate());
        assertEquals(5, wav.frames());
        assertArrayEquals(STEREO[0], wav.samples()[0]);
    }

    @Test
    void rejectsTruncatedData() {
        byte[] whole = wav(false, WavFile.WAVE_FORMAT_IEEE_FLOAT, 48000, 32, STEREO);
        byte[] truncated = Arrays.copyOf(whole, whole.length - 4);

        IOException e = assertThrows(IOException.class, () -> WavFile.decode(truncated, "cut"));
        assertTrue(e.getMessage().contains("data chunk claims"), e.getMessage());
    }

    @Test
    void rejectsNonWave() {
        byte[] bytes = "RIFF\0\0\0\0AVI LIST".getBytes(US_ASCII);

        assertThrows(IOException.class, () -> WavFile.decode(bytes, "avi"));
    }

    @Test
    void rejectsUnsupportedFormatTag() {
        byte[] bytes = wav(false, 2, 48000, 16, STEREO); // Microsoft ADPCM

        IOException e = assertThrows(IOException.class, () -> WavFile.decode(bytes, "adpcm"));
        assertTrue(e.getMessage().contains("format tag"), e.getMessage());
    }

    /** Encodes samples as a WAVE file, with a LIST chunk before data as real writers do. */
    static byte[] wav(boolean rf64, int tag, int rate, int bits, double[][] samples) {
        int channels = samples.length;
        int frames = samples[0].length;
        boolean floatingPoint = tag == WavFile.WAVE_FORMAT_IEEE_FLOAT || tag == WavFile.WAVE_FORMAT_EXTENSIBLE;
        ByteBuffer data = ByteBuffer.allocate(frames * channels * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int frame = 0; frame < frames; frame++) {
            for (double[] channel : samples) {
                double v = channel[frame];
                if (floatingPoint) {
                    data.putFloat((float) v);
                } else {
                    long scaled = Math.round(v * (1L << (bits - 1)));
                    scaled = Math.max(-(1L << (bits - 1)), Math.min((1L << (bits - 1)) - 1, scaled));
                    for (int b = 0; b < bits / 8; b++) {
                        data.put((byte) (scaled >> (8 * b)));
                    }
                }
            }
        }
        ByteBuffer fmt = ByteBuffer.allocate(tag == WavFile.WAVE_FORMAT_EXTENSIBLE ? 40 : 16)
                .order(ByteOrder.LITTLE_ENDIAN);
        fmt.putShort((short) tag).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        if (tag == WavFile.WAVE_FORMAT_EXTENSIBLE) {
            fmt.putShort((short) 22).putShort((short) bits).putInt(3);
            // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT 00000003-0000-0010-8000-00aa00389b71
            fmt.put(new byte[] {3, 0, 0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((rf64 ? "RF64" : "RIFF").getBytes(US_ASCII));
        out.writeBytes(le32(rf64 ? -1 : 0)); // patched below for RIFF
        out.writeBytes("WAVE".getBytes(US_ASCII));
        if (rf64) {
            ByteBuffer ds64 = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
            ds64.putLong(0).putLong(data.capacity()).putLong(frames).putInt(0);
            chunk(out, "ds64", ds64.array());
        }
        chunk(out, "fmt ", fmt.array());
        chunk(out, "LIST", "INFOISFT\6\0\0\0capstn".getBytes(US_ASCII));
        out.writeBytes("data".getBytes(US_ASCII));
        out.writeBytes(le32(rf64 ? -1 : data.capacity()));
        out.writeBytes(data.array());
        byte[] bytes = out.toByteArray();
        if (!rf64) {
            System.arraycopy(le32(bytes.length - 8), 0, bytes, 4, 4);
        }
        return bytes;
    }

    private static void chunk(ByteArrayOutputStream out, String id, byte[] body) {
        out.writeBytes(id.getBytes(US_ASCII));
        out.writeBytes(le32(body.length));
        out.writeBytes(body);
        if ((body.length & 1) != 0) {
            out.write(0);
        }
    }

    private static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }
}
