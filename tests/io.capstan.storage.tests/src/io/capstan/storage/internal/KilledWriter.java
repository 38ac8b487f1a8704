package io.capstan.storage.internal;

import io.capstan.api.TakeWriter;

import java.nio.file.Path;

/**
 * Child process of {@link RecoveryTest}: begins a take, writes a known number of frames, says so
 * on standard output and then waits to be killed, never finishing the take.
 *
 * <p>Arguments: home directory, chunk size in bytes, frames to write.
 */
public final class KilledWriter {

    private KilledWriter() {
    }

    /** Runs the writer; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int chunkBytes = Integer.parseInt(args[1]);
        long frames = Long.parseLong(args[2]);
        FileChunkStore store = Pcm.store(new RecordingEventAdmin(), home, chunkBytes);
        TakeWriter w = store.begin(Pcm.DEVICE, Pcm.STEREO_S16);
        for (long done = 0; done < frames;) {
            int n = (int) Math.min(777, frames - done);
            w.write(Pcm.frames(Pcm.STEREO_S16, done, n));
            done += n;
        }
        System.out.println("WROTE " + w.takeId() + " " + w.frames());
        System.out.flush();
        // wait for the parent's kill; reading stdin blocks until then
        while (System.in.read() >= 0) {
            Thread.onSpinWait();
        }
        Runtime.getRuntime().halt(3); // parent closed stdin without killing: die without finishing anyway
    }
}
