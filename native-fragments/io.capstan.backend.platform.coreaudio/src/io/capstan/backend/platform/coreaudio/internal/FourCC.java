package io.capstan.backend.platform.coreaudio.internal;

import java.nio.charset.StandardCharsets;

/**
 * Four-character codes: CoreAudio's selectors, scopes, format ids and many {@code OSStatus}
 * values are four ASCII characters packed big-endian into a UInt32 ({@code 'dev#'} =
 * 0x64657623), as the {@code 'abcd'} multi-character literals of the C headers are.
 */
public final class FourCC {

    private FourCC() {
    }

    /**
     * @param code exactly four ASCII characters, e.g. {@code "dev#"}
     * @return the packed value, first character in the most significant byte
     */
    public static int of(String code) {
        if (code.length() != 4 || code.chars().anyMatch(c -> c < 0x20 || c > 0x7E)) {
            throw new IllegalArgumentException("a FourCC has four printable ASCII characters: '" + code + "'");
        }
        byte[] b = code.getBytes(StandardCharsets.US_ASCII);
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | b[3] & 0xFF;
    }

    /** @return true when all four bytes are printable ASCII (so the value reads as a code) */
    public static boolean isPrintable(int value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = value >>> shift & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** @return the four characters of a printable value, e.g. {@code "!obj"} */
    public static String toString(int value) {
        byte[] b = { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
        return new String(b, StandardCharsets.US_ASCII);
    }
}
