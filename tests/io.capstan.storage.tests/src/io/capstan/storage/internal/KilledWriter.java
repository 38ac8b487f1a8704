package io.capstan.storage.internal;

import io.capstan.api.Take;
import io.capstan.api.TakeWriter;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.osgi.service.event.EventAdmin;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Child process of {@link RecoveryTest}: begins a take, writes a known number of frames, says so
 * on standard output and then waits to be killed, never finishing the take.
 *
 * <p>Arguments: home directory, chunk size in bytes, frames to write.
 */
public final class KilledWriter {

    private KilledWriter() {
    }

    /**
     * Runs this class in a child JVM, waits until it has written {@code frames} frames, and kills it.
     *
     * @return the child's line split into words: "WROTE", the take id, the frames written
     */
    static String[] leaveStaging(Path home, int chunkBytes, long frames) throws Exception {
        return leaveStaging(home, chunkBytes, frames, false);
    }

    /** As {@link #leaveStaging(Path, int, long)}; with {@code finish} the child finishes the take COMPLETE first. */
    static String[] leaveStaging(Path home, int chunkBytes, long frames, boolean finish) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                childClasspath(), KilledWriter.class.getName(), home.toString(), Integer.toString(chunkBytes),
                Long.toString(frames), finish ? "finish" : "kill").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).get(60, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the killed writer did not end within 30 s");
            }
        }
        if (line == null) {
            throw new AssertionError("the writer ended without saying what it wrote");
        }
        return line.split(" ");
    }

    /** The class path of this test's code and of what the store needs, wherever the test runs (plain or OSGi). */
    private static String childClasspath() throws Exception {
        ClassLoader jackson = ObjectMapper.class.getClassLoader();
        Set<String> entries = new LinkedHashSet<>();
        for (Class<?> c : List.of(KilledWriter.class, FileChunkStore.class, Take.class, ObjectMapper.class,
                EventAdmin.class, Class.forName("com.fasterxml.jackson.core.JsonFactory", false, jackson),
                Class.forName("com.fasterxml.jackson.annotation.JsonProperty", false, jackson))) {
            entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return String.join(File.pathSeparator, entries);
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
        if (args.length > 3 && args[3].equals("finish")) {
            w.finish(io.capstan.api.TakeState.COMPLETE, "stopped");
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
