package io.capstan.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class SignalAnalysisTest {

    private static final int RATE = 48000;
    /** Stricter than the worst case of one dropped frame of a 440 Hz sine (~1.7e-3 of peak). */
    private static final double THRESHOLD = 1e-4;

    @Test
    void measuresFrequencyOfSineWithSubHertzPrecision() {
        double[] x = sine(440.0, 0.5, 5 * RATE, 0.3);

        assertEquals(440.0, SignalAnalysis.dominantFrequency(x, RATE), 0.01);
    }

    @Test
    void measuresWrongFrequencyAsSuch() {
        double[] x = sine(437.3, 0.5, 5 * RATE, 1.1);

        double measured = SignalAnalysis.dominantFrequency(x, RATE);

        assertEquals(437.3, measured, 0.01);
        assertTrue(Math.abs(measured - 440) > 0.5, "measured " + measured);
    }

    @Test
    void measuresFrequencyThroughNoise() {
        double[] x = sine(1000.0, 0.1, RATE, 0);
        Random random = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.05 * random.nextGaussian();
        }

        assertEquals(1000.0, SignalAnalysis.dominantFrequency(x, RATE), 0.05);
    }

    @Test
    void measuresRmsAndPeak() {
        double[] x = sine(440.0, 0.5, 5 * RATE, 0.3);

        assertEquals(0.5, SignalAnalysis.peak(x), 1e-3);
        assertEquals(0.5 / Math.sqrt(2), SignalAnalysis.rms(x), 1e-3);
    }

    @Test
    void findsNoDiscontinuityInCleanSine() {
        assertEquals(List.of(), SignalAnalysis.discontinuities(float32(sine(440.0, 0.5, 5 * RATE, 0.3)), THRESHOLD));
    }

    @Test
    void findsOneDroppedFrame() {
        // Every phase of the drop, including the flattest point of the sine.
        for (int offset = 0; offset < 110; offset += 7) {
            int at = 100_000 + offset;
            double[] x = float32(remove(sine(440.0, 0.5, 5 * RATE, 0.0), at, 1));

            List<Integer> found = SignalAnalysis.discontinuities(x, THRESHOLD);

            assertFalse(found.isEmpty(), "drop at " + at + " not found");
            assertTrue(found.stream().allMatch(n -> Math.abs(n - at) <= 2), "drop at " + at + " found at " + found);
        }
    }

    @Test
    void findsRepeatedBlock() {
        double[] clean = sine(440.0, 0.5, 5 * RATE, 0.3);
        double[] x = new double[clean.length + 64];
        System.arraycopy(clean, 0, x, 0, 120_000);
        System.arraycopy(clean, 120_000 - 64, x, 120_000, 64);
        System.arraycopy(clean, 120_000, x, 120_064, clean.length - 120_000);

        List<Integer> found = SignalAnalysis.discontinuities(float32(x), THRESHOLD);

        assertFalse(found.isEmpty());
        assertTrue(found.contains(120_000) || found.contains(120_001), "found at " + found);
    }

    @Test
    void findsGap() {
        double[] x = sine(440.0, 0.5, 5 * RATE, 0.3);
        Arrays.fill(x, 150_000, 150_100, 0);

        List<Integer> found = SignalAnalysis.discontinuities(float32(x), THRESHOLD);

        assertTrue(found.stream().anyMatch(n -> n >= 150_000 && n <= 150_001), "gap start not found: " + found);
        assertTrue(found.stream().anyMatch(n -> n >= 150_100 && n <= 150_101), "gap end not found: " + found);
    }

    @Test
    void trimsLeadingAndTrailingSilence() {
        double[] x = new double[4000];
        System.arraycopy(sine(440.0, 0.5, 2000, 0.5), 0, x, 1024, 2000);

        double[] trimmed = SignalAnalysis.trimSilence(x, 1e-3);

        assertEquals(2000, trimmed.length);
        assertEquals(List.of(), SignalAnalysis.discontinuities(trimmed, THRESHOLD));
    }

    @Test
    void correlatesShiftedCopyOfLoopedReference() {
        double[] reference = noise(30_000, 7);
        // A recording of 2.5 loops starting 12345 frames into the reference.
        double[] recording = new double[75_000];
        for (int n = 0; n < recording.length; n++) {
            recording[n] = 0.3 * reference[(n + 12_345) % reference.length];
        }

        SignalAnalysis.Correlation c = SignalAnalysis.correlateLooped(recording, reference);

        assertEquals(1.0, c.coefficient(), 1e-3);
        assertEquals(12_345, c.lag());
    }

    @Test
    void correlatesRecordingShorterThanReference() {
        double[] reference = noise(50_000, 8);
        double[] recording = Arrays.copyOfRange(reference, 40_000, 50_000);

        SignalAnalysis.Correlation c = SignalAnalysis.correlateLooped(recording, reference);

        assertEquals(1.0, c.coefficient(), 1e-3);
        assertEquals(40_000, c.lag());
    }

    @Test
    void findsNoCorrelationWithUnrelatedNoise() {
        SignalAnalysis.Correlation c = SignalAnalysis.correlateLooped(noise(75_000, 9), noise(30_000, 10));

        assertEquals(0.0, c.coefficient(), 0.05);
    }

    static double[] sine(double frequency, double amplitude, int frames, double phase) {
        double[] x = new double[frames];
        for (int n = 0; n < frames; n++) {
            x[n] = amplitude * Math.sin(2 * Math.PI * frequency * n / RATE + phase);
        }
        return x;
    }

    /** Rounds to float, as a float32 WAV file holds the samples. */
    private static double[] float32(double[] x) {
        double[] rounded = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            rounded[i] = (float) x[i];
        }
        return rounded;
    }

    private static double[] remove(double[] x, int at, int count) {
        double[] out = new double[x.length - count];
        System.arraycopy(x, 0, out, 0, at);
        System.arraycopy(x, at + count, out, at, x.length - at - count);
        return out;
    }

    private static double[] noise(int frames, long seed) {
        Random random = new Random(seed);
        double[] x = new double[frames];
        for (int i = 0; i < frames; i++) {
            x[i] = random.nextGaussian() * 0.2;
        }
        return x;
    }
}
