package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.AudioFormat;
import io.capstan.api.ExportResult;
import io.capstan.api.SampleFormat;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real export above 4 GiB: a take of 8 channels at 192 kHz F32_LE (6 144 000 bytes a second)
 * of 720 s, 4.4 GB of PCM, written through the storage API as fast as the disk takes it, exported
 * as RF64 and read back by sox ({@code sox --i}), by libsndfile ({@code sndfile-info}) and sample by
 * sample at the start, across the 4 GiB boundary and at the end. Needs about 9 GB in the temporary
 * directory and a few minutes: tagged {@code large}, left out of the default build. Run it with
 * {@code ./mvnw -o verify -pl bundles/io.capstan.api,bundles/io.capstan.storage,tests/io.capstan.test.pipewire,tests/io.capstan.storage.tests -Dcapstan.excludedGroups=none -Dtest=LargeExportTest}.
 * Issue 8 (faults).
 */
@Tag("large")
class LargeExportTest {

    private static final AudioFormat FORMAT = new AudioFormat(192_000, 8, SampleFormat.F32_LE);
    private static final long FRAMES = 720L * 192_000;
    private static final int BLOCK_FRAMES = 4096;

    @TempDir
    Path tmp;

    /** The sample of channel {@code c} of frame {@code f}: exact in a float, different for every frame and channel. */
    private static float sample(long f, int c) {
        return (float) ((f % 1_000_000) * 8 + c);
    }

    @Test
    void exportAbove4GiBIsRf64ThatSoxAndLibsndfileReadExactly() throws Exception {
        FileChunkStore store = new FileChunkStore(new RecordingEventAdmin(), new StoreSettings(tmp.resolve("home"),
                8 << 20, WavWriter.RIFF_LIMIT, 0, 0));
        TakeWriter w = store.begin(new io.capstan.api.Device("gen", "Generated 8ch", FORMAT, "test"), FORMAT);
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_FRAMES * FORMAT.bytesPerFrame()).order(ByteOrder.LITTLE_ENDIAN);
        long started = System.nanoTime();
        for (long f = 0; f < FRAMES; f += BLOCK_FRAMES) {
            int n = (int) Math.min(BLOCK_FRAMES, FRAMES - f);
            block.clear();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 8; c++) {
                    block.putFloat(sample(f + i, c));
                }
            }
            block.flip();
            w.write(block);
        }
        Take take = w.finish(TakeState.COMPLETE, "generated");
        double writeSeconds = (System.nanoTime() - started) / 1e9;
        assertEquals(FRAMES, take.frames());

        started = System.nanoTime();
        ExportResult r = store.export(take.id(), tmp.resolve("large.wav"), null);
        double exportSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("wrote %d bytes of PCM in %.1f s, exported %d bytes in %.1f s%n",
                FRAMES * FORMAT.bytesPerFrame(), writeSeconds, r.bytes(), exportSeconds);

        assertTrue(r.rf64(), "above 4 GiB: RF64");
        assertTrue(r.bytes() > 0x1_0000_0000L, r.bytes() + " bytes");
        // -V1: sox 14.4.2 warns "wave header missing extended part of fmt chunk" for every
        // WAVE_FORMAT_EXTENSIBLE float file (it looks for a second cbSize after the extension); libsndfile does not
        assertEquals(Long.toString(FRAMES), run("sox", "--i", "-V1", "-s", r.file().toString()).strip(),
                "sox: samples per channel");
        assertEquals("8", run("sox", "--i", "-V1", "-c", r.file().toString()).strip());
        String info = run("sndfile-info", r.file().toString());
        Matcher frames = Pattern.compile("Frames\\s*:\\s*(\\d+)").matcher(info);
        assertTrue(frames.find(), info);
        assertEquals(FRAMES, Long.parseLong(frames.group(1)), "sndfile-info: frames");
        assertTrue(info.contains("RF64"), info);
        try (FileChannel ch = FileChannel.open(r.file())) {
            long data = ch.size() - FRAMES * FORMAT.bytesPerFrame();
            long boundary = (0x1_0000_0000L - data) / FORMAT.bytesPerFrame();
            for (long f : new long[] {0, 1, boundary - 1, boundary, boundary + 1, FRAMES / 2, FRAMES - 1}) {
                ByteBuffer frame = ByteBuffer.allocate(FORMAT.bytesPerFrame()).order(ByteOrder.LITTLE_ENDIAN);
                ch.read(frame, data + f * FORMAT.bytesPerFrame());
                for (int c = 0; c < 8; c++) {
                    assertEquals(sample(f, c), frame.getFloat(c * 4), "frame " + f + " channel " + c);
                }
            }
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }
}
