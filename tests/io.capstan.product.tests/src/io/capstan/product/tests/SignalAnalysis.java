package io.capstan.product.tests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Measurements on one channel of a take: frequency, level, continuity, similarity. */
public final class SignalAnalysis {

    /** Best alignment of a recording with a reference: Pearson coefficient and lag in frames. */
    public record Correlation(double coefficient, int lag) {}

    private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

    private SignalAnalysis() {}

    /** Root mean square. */
    public static double rms(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v * v;
        }
        return x.length == 0 ? 0 : Math.sqrt(sum / x.length);
    }

    /** Largest absolute sample value. */
    public static double peak(double[] x) {
        double peak = 0;
        for (double v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        return peak;
    }

    /**
     * The strongest frequency over the whole signal, in Hz: peak of a Hann-windowed FFT, refined
     * by a golden-section search on the windowed spectrum between the neighbouring bins (a
     * fraction of a millihertz for a clean sine of a few seconds).
     */
    public static double dominantFrequency(double[] x, double sampleRate) {
        if (x.length < 16) {
            throw new IllegalArgumentException("too few samples: " + x.length);
        }
        double[] windowed = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            windowed[i] = x[i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (x.length - 1)));
        }
        int size = Integer.highestOneBit(x.length - 1) << 1;
        double[] re = Arrays.copyOf(windowed, size);
        double[] im = new double[size];
        fft(re, im, false);
        int best = 1;
        double bestPower = -1;
        for (int k = 1; k < size / 2; k++) {
            double power = re[k] * re[k] + im[k] * im[k];
            if (power > bestPower) {
                bestPower = power;
                best = k;
            }
        }
        double bin = sampleRate / size;
        double low = Math.max(0, (best - 1) * bin);
        double high = Math.min(sampleRate / 2, (best + 1) * bin);
        double a = high - GOLDEN * (high - low);
        double b = low + GOLDEN * (high - low);
        double powerA = goertzelPower(windowed, a / sampleRate);
        double powerB = goertzelPower(windowed, b / sampleRate);
        while (high - low > 1e-5) {
            if (powerA > powerB) {
                high = b;
                b = a;
                powerB = powerA;
                a = high - GOLDEN * (high - low);
                powerA = goertzelPower(windowed, a / sampleRate);
            } else {
                low = a;
                a = b;
                powerA = powerB;
                b = low + GOLDEN * (high - low);
                powerB = goertzelPower(windowed, b / sampleRate);
            }
        }
        return (low + high) / 2;
    }

    /** |X(f)|² of the signal at a normalized frequency (cycles per sample). */
    static double goertzelPower(double[] x, double normalizedFrequency) {
        double omega = 2 * Math.PI * normalizedFrequency;
        double coefficient = 2 * Math.cos(omega);
        double s1 = 0;
        double s2 = 0;
        for (double v : x) {
            double s0 = v + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }

    /**
     * Where a pure sine is broken. Each sample is predicted from its two predecessors with the
     * sine recurrence x[n] = 2cos(ω)x[n-1] - x[n-2], the coefficient fitted by least squares over
     * the whole signal; a sample whose prediction error exceeds {@code relativeThreshold} times
     * the peak is reported. A dropped or repeated block of any length, a gap, a click or a jump
     * in phase or level shows up as one or more such indices; a clean float sine has errors
     * around 1e-7 of its peak.
     *
     * @return indices of the offending samples, ascending; empty for a continuous sine
     */
    public static List<Integer> discontinuities(double[] x, double relativeThreshold) {
        double numerator = 0;
        double denominator = 0;
        for (int n = 2; n < x.length; n++) {
            numerator += (x[n] + x[n - 2]) * x[n - 1];
            denominator += x[n - 1] * x[n - 1];
        }
        double coefficient = denominator == 0 ? 0 : numerator / denominator;
        double threshold = relativeThreshold * peak(x);
        List<Integer> found = new ArrayList<>();
        for (int n = 2; n < x.length; n++) {
            double residual = x[n] - (coefficient * x[n - 1] - x[n - 2]);
            if (Math.abs(residual) > threshold) {
                found.add(n);
            }
        }
        return found;
    }

    /** The signal without leading and trailing samples whose magnitude is at most {@code level}. */
    public static double[] trimSilence(double[] x, double level) {
        int first = 0;
        while (first < x.length && Math.abs(x[first]) <= level) {
            first++;
        }
        int end = x.length;
        while (end > first && Math.abs(x[end - 1]) <= level) {
            end--;
        }
        return Arrays.copyOfRange(x, first, end);
    }

    /**
     * Best normalized cross-correlation of a recording against a reference that loops
     * endlessly (as a feeder plays it): for every lag L in [0, reference length), the Pearson
     * coefficient of recording[n] and reference[(n + L) mod length] over the whole recording.
     * The recording may be longer or shorter than one loop.
     */
    public static Correlation correlateLooped(double[] recording, double[] reference) {
        int period = reference.length;
        if (period == 0 || recording.length == 0) {
            throw new IllegalArgumentException("empty signal");
        }
        double[] r = minusMean(recording);
        double[] ref = minusMean(reference);
        // Fold the recording onto one period: sum_n r[n] ref[(n+L)%M] = sum_k f[k] ref[(k+L)%M].
        double[] folded = new double[period];
        for (int n = 0; n < r.length; n++) {
            folded[n % period] += r[n];
        }
        int size = Integer.highestOneBit(Math.max(2 * period - 1, 1)) << 1;
        double[] aRe = Arrays.copyOf(folded, size);
        double[] aIm = new double[size];
        double[] bRe = new double[size];
        double[] bIm = new double[size];
        for (int i = 0; i < 2 * period && i < size; i++) {
            bRe[i] = ref[i % period];
        }
        fft(aRe, aIm, false);
        fft(bRe, bIm, false);
        for (int i = 0; i < size; i++) {
            // conj(A) * B
            double re = aRe[i] * bRe[i] + aIm[i] * bIm[i];
            double im = aRe[i] * bIm[i] - aIm[i] * bRe[i];
            aRe[i] = re;
            aIm[i] = im;
        }
        fft(aRe, aIm, true);

        // Energy of the reference under the recording at each lag: whole loops plus a window.
        double[] prefix = new double[2 * period + 1];
        for (int i = 0; i < 2 * period; i++) {
            double v = ref[i % period];
            prefix[i + 1] = prefix[i] + v * v;
        }
        int loops = r.length / period;
        int rest = r.length % period;
        double recordingEnergy = 0;
        for (double v : r) {
            recordingEnergy += v * v;
        }
        double bestCoefficient = -2;
        int bestLag = 0;
        for (int lag = 0; lag < period; lag++) {
            double referenceEnergy = loops * prefix[period] + prefix[lag + rest] - prefix[lag];
            double denominator = Math.sqrt(recordingEnergy * referenceEnergy);
            double coefficient = denominator == 0 ? 0 : aRe[lag] / denominator;
            if (coefficient > bestCoefficient) {
                bestCoefficient = coefficient;
                bestLag = lag;
            }
        }
        return new Correlation(bestCoefficient, bestLag);
    }

    private static double[] minusMean(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double[] centered = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            centered[i] = x[i] - mean;
        }
        return centered;
    }

    /** In-place iterative radix-2 FFT; the inverse is scaled by 1/n. */
    static void fft(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        if (Integer.bitCount(n) != 1 || im.length != n) {
            throw new IllegalArgumentException("FFT size must be a power of two: " + n);
        }
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int length = 2; length <= n; length <<= 1) {
            double angle = 2 * Math.PI / length * (inverse ? 1 : -1);
            int half = length / 2;
            double[] cos = new double[half];
            double[] sin = new double[half];
            for (int k = 0; k < half; k++) {
                cos[k] = Math.cos(angle * k);
                sin[k] = Math.sin(angle * k);
            }
            for (int start = 0; start < n; start += length) {
                for (int k = 0; k < half; k++) {
                    int a = start + k;
                    int b = a + half;
                    double tRe = re[b] * cos[k] - im[b] * sin[k];
                    double tIm = re[b] * sin[k] + im[b] * cos[k];
                    re[b] = re[a] - tRe;
                    im[b] = im[a] - tIm;
                    re[a] += tRe;
                    im[a] += tIm;
                }
            }
        }
        if (inverse) {
            for (int i = 0; i < n; i++) {
                re[i] /= n;
                im[i] /= n;
            }
        }
    }
}
