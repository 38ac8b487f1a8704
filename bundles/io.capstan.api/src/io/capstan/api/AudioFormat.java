package io.capstan.api;

/**
 * The shape of a PCM stream: interleaved frames of {@code channels} samples each.
 *
 * @param sampleRate   frames per second, in Hz (1 to 768000)
 * @param channels     samples per frame (1 to 64)
 * @param sampleFormat encoding of each sample
 */
public record AudioFormat(int sampleRate, int channels, SampleFormat sampleFormat) {

    /** Highest rate accepted, in Hz. */
    public static final int MAX_RATE = 768_000;
    /** Most channels accepted in one frame. */
    public static final int MAX_CHANNELS = 64;

    public AudioFormat {
        if (sampleRate < 1 || sampleRate > MAX_RATE) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is out of range 1.." + MAX_RATE);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("channel count " + channels + " is out of range 1.." + MAX_CHANNELS);
        }
        if (sampleFormat == null) {
            throw new IllegalArgumentException("sample format is required");
        }
    }

    /** @return bytes of one frame: channels × bytes per sample */
    public int bytesPerFrame() {
        return channels * sampleFormat.bytesPerSample();
    }

    /** @return bytes of one second of audio */
    public long bytesPerSecond() {
        return (long) sampleRate * bytesPerFrame();
    }

    /** @return a copy with another rate (Hz) */
    public AudioFormat withRate(int rate) {
        return new AudioFormat(rate, channels, sampleFormat);
    }

    /** @return a copy with another channel count */
    public AudioFormat withChannels(int count) {
        return new AudioFormat(sampleRate, count, sampleFormat);
    }

    /** @return a copy with another sample format */
    public AudioFormat withSampleFormat(SampleFormat format) {
        return new AudioFormat(sampleRate, channels, format);
    }

    @Override
    public String toString() {
        return sampleRate + " Hz " + channels + "ch " + sampleFormat;
    }
}
