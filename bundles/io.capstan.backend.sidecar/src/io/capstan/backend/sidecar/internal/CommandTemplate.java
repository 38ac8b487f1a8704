package io.capstan.backend.sidecar.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.capstan.api.AudioFormat;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

/**
 * The argv of a capture command with placeholders, expanded per take. Placeholders:
 * <ul>
 * <li>{@code {device}}: the device id</li>
 * <li>{@code {rate}}: frames per second, Hz; {@code {channels}}: samples per frame</li>
 * <li>{@code {format}}: Capstan's name (S16_LE, S24_LE, S32_LE, F32_LE)</li>
 * <li>{@code {alsa-format}}: {@code arecord -f} name (S16_LE, S24_3LE, S32_LE, FLOAT_LE)</li>
 * <li>{@code {pw-format}}: {@code pw-record --format} name (s16, s24, s32, f32)</li>
 * <li>{@code {sox-encoding}}: {@code sox -e} name (signed-integer, floating-point); {@code {bits}}: 16, 24, 32</li>
 * <li>{@code {fifo}}: the FIFO path, filled in by the FIFO transport; without it the command's
 * standard output is the FIFO</li>
 * </ul>
 */
final class CommandTemplate {

    static final String FIFO = "{fifo}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z-]+)}");
    private static final Set<String> KNOWN = Set.of("device", "rate", "channels", "format", "alsa-format",
            "pw-format", "sox-encoding", "bits", "fifo");

    private final List<String> argv;

    /** @throws IllegalArgumentException naming an unknown placeholder or an empty command */
    CommandTemplate(List<String> argv) {
        if (argv == null || argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("the capture command is empty: give the program and its arguments");
        }
        for (String arg : argv) {
            Matcher m = PLACEHOLDER.matcher(arg);
            while (m.find()) {
                if (!KNOWN.contains(m.group(1))) {
                    throw new IllegalArgumentException("unknown placeholder " + m.group() + " in '" + arg
                            + "'; known: {device} {rate} {channels} {format} {alsa-format} {pw-format} "
                            + "{sox-encoding} {bits} {fifo}");
                }
            }
        }
        this.argv = List.copyOf(argv);
    }

    /** @return true when the command writes into {@code {fifo}}, false when into its standard output */
    boolean writesToFifoArgument() {
        return argv.stream().anyMatch(a -> a.contains(FIFO));
    }

    /** @return true when the command is told the sample format (so any format can be asked for) */
    boolean choosesFormat() {
        return argv.stream().anyMatch(a -> a.contains("{format}") || a.contains("{alsa-format}")
                || a.contains("{pw-format}") || a.contains("{sox-encoding}") || a.contains("{bits}"));
    }

    /** @return true when the command is told the rate and the channel count */
    boolean choosesRateAndChannels() {
        return argv.stream().anyMatch(a -> a.contains("{rate}")) && argv.stream().anyMatch(a -> a.contains("{channels}"));
    }

    /** @return the argv for one take; {@code {fifo}} stays for the transport */
    List<String> expand(Device device, AudioFormat format) {
        Map<String, String> values = Map.of("device", device.id(), "rate", Integer.toString(format.sampleRate()),
                "channels", Integer.toString(format.channels()), "format", format.sampleFormat().name(),
                "alsa-format", alsa(format.sampleFormat()), "pw-format", format.sampleFormat().shortName(),
                "sox-encoding", format.sampleFormat().isFloatingPoint() ? "floating-point" : "signed-integer",
                "bits", Integer.toString(format.sampleFormat().bitsPerSample()), "fifo", FIFO);
        List<String> out = new ArrayList<>(argv.size());
        for (String arg : argv) {
            out.add(PLACEHOLDER.matcher(arg).replaceAll(m -> Matcher.quoteReplacement(values.get(m.group(1)))));
        }
        return out;
    }

    private static String alsa(SampleFormat f) {
        return switch (f) {
            case S16_LE -> "S16_LE";
            case S24_LE -> "S24_3LE";
            case S32_LE -> "S32_LE";
            case F32_LE -> "FLOAT_LE";
        };
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }
}
