package io.capstan.backend.platform.pipewire.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.capstan.api.AudioFormat;
import io.capstan.api.SampleFormat;

/** The hand-built pod against spa_format_audio_raw_build() of the installed headers, byte for byte. */
class FormatPodTest {

    @TempDir
    Path tmp;

    @Test
    void stereoFloatMatchesSpaFormatAudioRawBuild() throws IOException, InterruptedException {
        check(new AudioFormat(48_000, 2, SampleFormat.F32_LE), FormatPod.positions("[FL FR]"));
    }

    @Test
    void monoS16MatchesSpaFormatAudioRawBuild() throws IOException, InterruptedException {
        check(new AudioFormat(44_100, 1, SampleFormat.S16_LE), FormatPod.defaultPositions(1));
    }

    @Test
    void oddChannelCountIsPaddedLikeSpa() throws IOException, InterruptedException {
        check(new AudioFormat(96_000, 3, SampleFormat.S24_LE), FormatPod.positions("FL,FR,LFE"));
    }

    @Test
    void eightAuxChannelsMatchSpaFormatAudioRawBuild() throws IOException, InterruptedException {
        check(new AudioFormat(48_000, 8, SampleFormat.S32_LE), FormatPod.defaultPositions(8));
    }

    @Test
    void buffersParamMatchesSpaPodBuilder() throws IOException, InterruptedException {
        Path exe = NativeHeaders.compile("pw-pod", tmp);
        for (int n : new int[] { 2, 32 }) {
            String expected = NativeHeaders.output(List.of(exe.toString(), "buffers", String.valueOf(n))).trim();
            assertEquals(expected, HexFormat.of().formatHex(FormatPod.buffers(n)), n + " buffers");
        }
    }

    private void check(AudioFormat format, int[] positions) throws IOException, InterruptedException {
        Path exe = NativeHeaders.compile("pw-pod", tmp);
        List<String> command = new ArrayList<>(List.of(exe.toString(),
                String.valueOf(FormatPod.SPA_AUDIO_FORMAT.get(format.sampleFormat())),
                String.valueOf(format.sampleRate()), String.valueOf(format.channels())));
        for (int p : positions) {
            command.add(String.valueOf(p));
        }
        String expected = NativeHeaders.output(command).trim();
        assertEquals(expected, HexFormat.of().formatHex(FormatPod.enumFormat(format, positions)), format.toString());
    }
}
