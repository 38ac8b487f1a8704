package io.capstan.api;

import java.util.Arrays;

/**
 * Signal levels of one device, per channel, in dBFS (0 dBFS = full scale; silence is
 * {@link #FLOOR_DBFS}). Arrays are copies; indices are channels.
 *
 * @param peakDbfs  highest absolute sample over the last metering block
 * @param rmsDbfs   root mean square over the last metering block
 * @param holdDbfs  highest peak over the hold time (decays afterwards)
 * @param clipped   true when a sample reached full scale within the hold time
 * @param frames    frames metered since metering started (moves while audio arrives)
 */
public record Levels(double[] peakDbfs, double[] rmsDbfs, double[] holdDbfs, boolean[] clipped, long frames) {

    /** The lowest level reported: what digital silence reads. */
    public static final double FLOOR_DBFS = -120.0;

    public Levels {
        int n = peakDbfs.length;
        if (rmsDbfs.length != n || holdDbfs.length != n || clipped.length != n) {
            throw new IllegalArgumentException("level arrays must have one entry per channel");
        }
        peakDbfs = peakDbfs.clone();
        rmsDbfs = rmsDbfs.clone();
        holdDbfs = holdDbfs.clone();
        clipped = clipped.clone();
    }

    /** @return levels of {@code channels} silent channels with nothing metered yet */
    public static Levels silence(int channels) {
        double[] floor = new double[channels];
        Arrays.fill(floor, FLOOR_DBFS);
        return new Levels(floor, floor, floor, new boolean[channels], 0);
    }

    /** @return the number of channels */
    public int channels() {
        return peakDbfs.length;
    }

    @Override
    public String toString() {
        return "Levels[peak=" + Arrays.toString(peakDbfs) + ", rms=" + Arrays.toString(rmsDbfs) + ", frames="
                + frames + "]";
    }
}
