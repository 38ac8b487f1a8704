package io.capstan.backend.testsignal.internal;

/** A source of samples in [-1, 1], one value per frame (every channel carries it). Not thread-safe. */
interface Signal {

    /** @return the next sample at {@code rate} Hz */
    double next(int rate);

    /** A sine of {@code hz} at {@code amplitude} (0 to 1). */
    static Signal sine(double hz, double amplitude) {
        return new Signal() {
            private double phase;

            @Override
            public double next(int rate) {
                double v = amplitude * Math.sin(phase);
                phase += 2 * Math.PI * hz / rate;
                if (phase > 2 * Math.PI) {
                    phase -= 2 * Math.PI;
                }
                return v;
            }
        };
    }

    /** Digital silence. */
    static Signal silence() {
        return rate -> 0.0;
    }

    /**
     * Pink (1/f) noise at about {@code amplitude} peak: white noise through Paul Kellett's
     * economy filter (three poles, within 0.05 dB of -3 dB/octave above 100 Hz at 44.1 kHz).
     */
    static Signal pink(double amplitude, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        return new Signal() {
            private double b0;
            private double b1;
            private double b2;

            @Override
            public double next(int rate) {
                double white = random.nextDouble(-1.0, 1.0);
                b0 = 0.99765 * b0 + white * 0.0990460;
                b1 = 0.96300 * b1 + white * 0.2965164;
                b2 = 0.57000 * b2 + white * 1.0526913;
                double pink = (b0 + b1 + b2 + white * 0.1848) * 0.25;
                return Math.max(-1.0, Math.min(1.0, pink * amplitude));
            }
        };
    }

    /** {@code samples} (at their own rate, no resampling) played in a loop. */
    static Signal loop(float[] samples) {
        return new Signal() {
            private int at;

            @Override
            public double next(int rate) {
                double v = samples[at];
                at = (at + 1) % samples.length;
                return v;
            }
        };
    }
}
