package io.capstan.backend.platform.pipewire.internal;

/**
 * How many buffers of one quantum each a capture stream asks PipeWire for: a deep pool for the
 * first streams, so that a lone take is drained rarely (32 quanta of 1024 frames at 48 kHz hold
 * 683 ms, drained every 343 ms: 3 passes a second instead of 24, each about 100 µs of CPU on the
 * build VM; {@link PwCapture#drainPeriod}),
 * and shallow pools once many run (cheaper for the loop thread to set up and to cycle through;
 * 16 buffers lost audio at 256 takes, 8 did not: docs/BENCHMARKS.md).
 *
 * @param buffers     pool of a stream once {@code deepStreams} streams run (1 to 32)
 * @param deepBuffers pool of a stream while fewer run (1 to 32)
 * @param deepStreams how many streams may have deep pools at once; 0 for none
 */
record PoolSizes(int buffers, int deepBuffers, int deepStreams) {

    /** Shallow pool: 170 ms at a 1024-frame quantum and 48 kHz. */
    static final int DEFAULT_BUFFERS = 8;
    /** Deep pool: 683 ms at a 1024-frame quantum and 48 kHz. */
    static final int DEFAULT_DEEP_BUFFERS = 32;
    static final int DEFAULT_DEEP_STREAMS = 4;
    /** The defaults. */
    static final PoolSizes DEFAULT = new PoolSizes(DEFAULT_BUFFERS, DEFAULT_DEEP_BUFFERS, DEFAULT_DEEP_STREAMS);

    /** @throws IllegalArgumentException naming the setting of {@code io.capstan.backend.pipewire} to fix */
    PoolSizes {
        check("buffers", buffers);
        check("deepBuffers", deepBuffers);
        if (deepStreams < 0) {
            throw new IllegalArgumentException("deepStreams = " + deepStreams + " must be 0 (no deep pools) or more;"
                    + " set 'deepStreams' of io.capstan.backend.pipewire");
        }
    }

    /** Every stream gets {@code buffers}. */
    static PoolSizes uniform(int buffers) {
        return new PoolSizes(buffers, buffers, 0);
    }

    /** @return the pool of a stream that starts while {@code running} others run */
    int forStream(int running) {
        return running < deepStreams ? deepBuffers : buffers;
    }

    private static void check(String name, int value) {
        if (value < 1 || value > 32) {
            throw new IllegalArgumentException(name + " = " + value + " is out of range: PipeWire 0.3's converter"
                    + " grants 1 to 32 buffers per stream; set '" + name + "' of io.capstan.backend.pipewire between 1 and 32");
        }
    }
}
