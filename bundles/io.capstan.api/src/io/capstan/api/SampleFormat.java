package io.capstan.api;

import java.util.Locale;

/**
 * Encoding of one sample of PCM. All formats are little-endian and interleaved when a frame holds
 * several channels. Names follow ALSA/PipeWire ({@code SPA_AUDIO_FORMAT_*}).
 */
public enum SampleFormat {
    /** Signed 16-bit integer, 2 bytes. */
    S16_LE(2, false, "s16"),
    /** Signed 24-bit integer packed in 3 bytes (PipeWire {@code S24_LE}, WAV 24-bit). */
    S24_LE(3, false, "s24"),
    /** Signed 32-bit integer, 4 bytes. */
    S32_LE(4, false, "s32"),
    /** IEEE 754 32-bit float, 4 bytes, nominal range [-1.0, 1.0]. */
    F32_LE(4, true, "f32");

    private final int bytesPerSample;
    private final boolean floatingPoint;
    private final String shortName;

    SampleFormat(int bytesPerSample, boolean floatingPoint, String shortName) {
        this.bytesPerSample = bytesPerSample;
        this.floatingPoint = floatingPoint;
        this.shortName = shortName;
    }

    /** @return bytes of one sample of one channel */
    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** @return bits of one sample as stored (16, 24, 32) */
    public int bitsPerSample() {
        return bytesPerSample * 8;
    }

    /** @return true for IEEE float samples (WAV format tag 3), false for integer PCM (tag 1) */
    public boolean isFloatingPoint() {
        return floatingPoint;
    }

    /** @return the name {@code pw-record --format} and {@code pw-cat} use: s16, s24, s32, f32 */
    public String shortName() {
        return shortName;
    }

    /**
     * Parses a format name: the enum name ({@code F32_LE}) or the short name ({@code f32}), any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static SampleFormat parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        for (SampleFormat f : values()) {
            if (f.name().equals(t) || f.shortName.toUpperCase(Locale.ROOT).equals(t)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown sample format '" + text
                + "': use one of S16_LE, S24_LE, S32_LE, F32_LE (or s16, s24, s32, f32)");
    }
}
