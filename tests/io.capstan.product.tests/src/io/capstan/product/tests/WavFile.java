package io.capstan.product.tests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A decoded RIFF or RF64 WAVE file: PCM (format tag 1), IEEE float (3) or WAVE_FORMAT_EXTENSIBLE
 * (0xFFFE) with a PCM or float sub-format; 8, 16, 24 and 32 bit integer, 32 and 64 bit float.
 *
 * @param formatTag the format tag of the {@code fmt } chunk (1, 3 or 0xFFFE)
 * @param floatingPoint whether the samples are IEEE float (tag 3, or extensible with the float
 *     sub-format)
 * @param sampleRate frames per second
 * @param channels interleaved channels
 * @param bitsPerSample container bits per sample
 * @param samples {@code samples[channel][frame]}, integers scaled to [-1, 1)
 */
public record WavFile(
        int formatTag,
        boolean floatingPoint,
        int sampleRate,
        int channels,
        int bitsPerSample,
        double[][] samples) {

    public static final int WAVE_FORMAT_PCM = 1;
    public static final int WAVE_FORMAT_IEEE_FLOAT = 3;
    public static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;

    /** RIFF sizes of RF64 files: the real sizes are in the {@code ds64} chunk. */
    private static final long RF64_SIZE_IN_DS64 = 0xFFFF_FFFFL;

    public WavFile {
        if (sampleRate <= 0 || channels <= 0 || samples.length != channels) {
            throw new IllegalArgumentException(
                    "bad format: rate " + sampleRate + ", channels " + channels);
        }
    }

    /** Frames (samples per channel). */
    public long frames() {
        return samples[0].length;
    }

    /** Reads and decodes a whole file. */
    public static WavFile read(Path path) throws IOException {
        return decode(Files.readAllBytes(path), path.toString());
    }

    /**
     * Decodes WAVE bytes.
     *
     * @param name names the source in error messages
     */
    public static WavFile decode(byte[] bytes, String name) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12) {
            throw new IOException(name + ": too short for a RIFF header (" + bytes.length + " bytes)");
        }
        String magic = fourCc(in, 0);
        boolean rf64 = magic.equals("RF64");
        if (!rf64 && !magic.equals("RIFF") || !fourCc(in, 8).equals("WAVE")) {
            throw new IOException(name + ": not a RIFF/RF64 WAVE file (" + magic + ", " + fourCc(in, 8) + ")");
        }
        long ds64DataSize = -1;
        Format format = null;
        int position = 12;
        while (position + 8 <= bytes.length) {
            String id = fourCc(in, position);
            long size = Integer.toUnsignedLong(in.getInt(position + 4));
            int body = position + 8;
            switch (id) {
                case "ds64" -> {
                    if (!rf64 || size < 24) {
                        throw new IOException(name + ": unexpected ds64 chunk of " + size + " bytes");
                    }
                    ds64DataSize = in.getLong(body + 8);
                }
                case "fmt " -> format = Format.parse(in, body, size, name);
                case "data" -> {
                    if (format == null) {
                        throw new IOException(name + ": data chunk before fmt chunk");
                    }
                    if (rf64 && size == RF64_SIZE_IN_DS64) {
                        if (ds64DataSize < 0) {
                            throw new IOException(name + ": RF64 data size without ds64 chunk");
                        }
                        size = ds64DataSize;
                    }
                    if (body + size > bytes.length) {
                        throw new IOException(name + ": data chunk claims " + size + " bytes, file holds "
                                + (bytes.length - body));
                    }
                    return format.decode(in, body, size, name);
                }
                default -> {
                    // LIST, fact, PEAK, JUNK, ...: skip.
                }
            }
            long next = body + size + (size & 1);
            if (next > bytes.length) {
                break;
            }
            position = (int) next;
        }
        throw new IOException(name + ": no " + (format == null ? "fmt" : "data") + " chunk");
    }

    private static String fourCc(ByteBuffer in, int offset) {
        char[] chars = new char[4];
        for (int i = 0; i < 4; i++) {
            chars[i] = (char) (in.get(offset + i) & 0xFF);
        }
        return new String(chars);
    }

    private record Format(int tag, boolean floatingPoint, int rate, int channels, int bits, int blockAlign) {

        static Format parse(ByteBuffer in, int body, long size, String name) throws IOException {
            if (size < 16) {
                throw new IOException(name + ": fmt chunk of " + size + " bytes");
            }
            int tag = Short.toUnsignedInt(in.getShort(body));
            int channels = Short.toUnsignedInt(in.getShort(body + 2));
            int rate = in.getInt(body + 4);
            int blockAlign = Short.toUnsignedInt(in.getShort(body + 12));
            int bits = Short.toUnsignedInt(in.getShort(body + 14));
            int effectiveTag = tag;
            if (tag == WAVE_FORMAT_EXTENSIBLE) {
                if (size < 40) {
                    throw new IOException(name + ": extensible fmt chunk of " + size + " bytes");
                }
                // The sub-format GUID starts with the format tag it stands for.
                effectiveTag = Short.toUnsignedInt(in.getShort(body + 24));
            }
            boolean floatingPoint = switch (effectiveTag) {
                case WAVE_FORMAT_PCM -> false;
                case WAVE_FORMAT_IEEE_FLOAT -> true;
                default -> throw new IOException(name + ": unsupported format tag 0x"
                        + Integer.toHexString(tag) + " (sub-format 0x" + Integer.toHexString(effectiveTag) + ")");
            };
            boolean supported = floatingPoint ? bits == 32 || bits == 64 : bits == 8 || bits == 16 || bits == 24 || bits == 32;
            if (!supported || channels == 0 || blockAlign != channels * bits / 8) {
                throw new IOException(name + ": unsupported layout: " + bits + " bits, " + channels
                        + " channels, block align " + blockAlign + (floatingPoint ? ", float" : ", integer"));
            }
            return new Format(tag, floatingPoint, rate, channels, bits, blockAlign);
        }

        WavFile decode(ByteBuffer in, int body, long size, String name) throws IOException {
            if (size % blockAlign != 0) {
                throw new IOException(name + ": data size " + size + " is not a multiple of the frame size " + blockAlign);
            }
            long frames = size / blockAlign;
            if (frames > Integer.MAX_VALUE) {
                throw new IOException(name + ": too many frames to decode: " + frames);
            }
            double[][] samples = new double[channels][(int) frames];
            int bytesPerSample = bits / 8;
            int offset = body;
            for (int frame = 0; frame < frames; frame++) {
                for (int channel = 0; channel < channels; channel++) {
                    samples[channel][frame] = sample(in, offset);
                    offset += bytesPerSample;
                }
            }
            return new WavFile(tag, floatingPoint, rate, channels, bits, samples);
        }

        private double sample(ByteBuffer in, int offset) {
            if (floatingPoint) {
                return bits == 32 ? in.getFloat(offset) : in.getDouble(offset);
            }
            return switch (bits) {
                case 8 -> ((in.get(offset) & 0xFF) - 128) / 128.0;
                case 16 -> in.getShort(offset) / 32768.0;
                case 24 -> ((in.get(offset) & 0xFF) | (in.get(offset + 1) & 0xFF) << 8 | in.get(offset + 2) << 16)
                        / 8388608.0;
                default -> in.getInt(offset) / 2147483648.0;
            };
        }
    }
}
