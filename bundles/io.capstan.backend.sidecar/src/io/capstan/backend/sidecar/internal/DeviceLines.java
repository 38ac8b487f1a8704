package io.capstan.backend.sidecar.internal;

import java.util.ArrayList;
import java.util.List;

import io.capstan.api.AudioFormat;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

/**
 * Devices written one per line as {@code id;rate;channels;description} (fields separated by
 * ';' or a tab; the description may be left out): the fixed {@code devices} list of a template
 * configuration, and the output of its discovery command. Blank lines and lines starting with
 * '#' are skipped.
 */
final class DeviceLines {

    private DeviceLines() {
    }

    /** @throws IllegalArgumentException naming the line that is not {@code id;rate;channels[;description]} */
    static List<Device> parse(List<String> lines, SampleFormat format, String backendId) {
        List<Device> devices = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("[;\t]", 4);
            if (f.length < 3) {
                throw new IllegalArgumentException("device line '" + line
                        + "' is not 'id;rate;channels;description' (e.g. 'hw:1;48000;2;USB microphone')");
            }
            try {
                AudioFormat native_ = new AudioFormat(Integer.parseInt(f[1].strip()), Integer.parseInt(f[2].strip()),
                        format);
                devices.add(new Device(f[0].strip(), f.length > 3 ? f[3].strip() : null, native_, backendId));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device line '" + line + "': rate and channels must be whole numbers");
            }
        }
        return devices;
    }
}
