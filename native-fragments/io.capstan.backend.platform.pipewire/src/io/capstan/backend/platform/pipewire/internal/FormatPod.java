package io.capstan.backend.platform.pipewire.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.capstan.api.AudioFormat;
import io.capstan.api.SampleFormat;

/**
 * The SPA pod of an audio format, built by hand: what {@code spa_format_audio_raw_build(b,
 * SPA_PARAM_EnumFormat, &info)} of {@code <spa/param/audio/raw-utils.h>} writes, byte for byte
 * (checked by {@code FormatPodTest} against the real function): an Object pod (type 15) of type
 * {@code SPA_TYPE_OBJECT_Format} (0x40003), id {@code SPA_PARAM_EnumFormat} (3), with the
 * properties media type (audio), media subtype (raw), audio format, rate, channels and
 * position (an Array of Ids). Every pod is padded to 8 bytes.
 *
 * <p>Also the Buffers param a capture stream asks for ({@link #buffers}): what
 * {@code spa_pod_builder_add_object(b, SPA_TYPE_OBJECT_ParamBuffers, SPA_PARAM_Buffers,
 * SPA_PARAM_BUFFERS_buffers, SPA_POD_Int(n))} writes, also checked byte for byte.
 */
final class FormatPod {

    static final int SPA_TYPE_ID = 3;
    static final int SPA_TYPE_INT = 4;
    static final int SPA_TYPE_ARRAY = 13;
    static final int SPA_TYPE_OBJECT = 15;
    static final int SPA_TYPE_OBJECT_FORMAT = 0x40003;
    static final int SPA_TYPE_OBJECT_PARAM_BUFFERS = 0x40004;
    static final int SPA_PARAM_ENUM_FORMAT = 3;
    static final int SPA_PARAM_BUFFERS = 5;
    static final int SPA_PARAM_BUFFERS_BUFFERS = 1;
    static final int SPA_FORMAT_MEDIA_TYPE = 1;
    static final int SPA_FORMAT_MEDIA_SUBTYPE = 2;
    static final int SPA_FORMAT_AUDIO_FORMAT = 0x10001;
    static final int SPA_FORMAT_AUDIO_RATE = 0x10003;
    static final int SPA_FORMAT_AUDIO_CHANNELS = 0x10004;
    static final int SPA_FORMAT_AUDIO_POSITION = 0x10005;
    static final int SPA_MEDIA_TYPE_AUDIO = 1;
    static final int SPA_MEDIA_SUBTYPE_RAW = 1;
    /** {@code SPA_AUDIO_CHANNEL_AUX0}: first of the unpositioned channels. */
    static final int SPA_AUDIO_CHANNEL_AUX0 = 0x1000;

    /** {@code enum spa_audio_channel} names as PipeWire prints them ({@code audio.position}). */
    static final List<String> CHANNEL_NAMES = List.of("UNKNOWN", "NA", "MONO", "FL", "FR", "FC", "LFE", "SL", "SR",
            "FLC", "FRC", "RC", "RL", "RR", "TC", "TFL", "TFC", "TFR", "TRL", "TRC", "TRR", "RLC", "RRC", "FLW",
            "FRW", "LFE2", "FLH", "FCH", "FRH", "TFLC", "TFRC", "TSL", "TSR", "LLFE", "RLFE", "BC", "BLC", "BRC");

    /** {@code enum spa_audio_format} values of the sample formats Capstan records. */
    static final Map<SampleFormat, Integer> SPA_AUDIO_FORMAT = Map.of(SampleFormat.S16_LE, 259,
            SampleFormat.S24_LE, 271, SampleFormat.S32_LE, 267, SampleFormat.F32_LE, 283);

    private FormatPod() {
    }

    /** @return the short name of a channel position id (FL, FR, AUX3, ...); UNKNOWN when not named */
    static String channelName(int id) {
        if (id >= SPA_AUDIO_CHANNEL_AUX0) {
            return "AUX" + (id - SPA_AUDIO_CHANNEL_AUX0);
        }
        return id >= 0 && id < CHANNEL_NAMES.size() ? CHANNEL_NAMES.get(id) : "UNKNOWN";
    }

    /** @return the id of a channel position name (FL, FR, AUX3, ...), or -1 when unknown */
    static int channelId(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("AUX")) {
            try {
                return SPA_AUDIO_CHANNEL_AUX0 + Integer.parseInt(n.substring(3));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return CHANNEL_NAMES.indexOf(n);
    }

    /** @return the ids of a position list such as {@code "[FL FR]"} or {@code "FL,FR"}; empty when any is unknown */
    static int[] positions(String text) {
        return NodeProps.positions(text);
    }

    /** @return positions PipeWire assumes for a channel count without positions */
    static int[] defaultPositions(int channels) {
        int[] p = new int[channels];
        if (channels == 1) {
            p[0] = channelId("MONO");
        } else if (channels == 2) {
            p[0] = channelId("FL");
            p[1] = channelId("FR");
        } else {
            for (int i = 0; i < channels; i++) {
                p[i] = SPA_AUDIO_CHANNEL_AUX0 + i;
            }
        }
        return p;
    }

    /** @return the EnumFormat pod for {@code format} with one position per channel */
    static byte[] enumFormat(AudioFormat format, int[] positions) {
        if (positions.length != format.channels()) {
            throw new IllegalArgumentException(positions.length + " positions for " + format.channels() + " channels");
        }
        int arrayBody = 8 + 4 * positions.length;
        int size = 8 + 5 * 24 + 8 + 8 + pad(arrayBody);
        ByteBuffer b = ByteBuffer.allocate(8 + size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(size).putInt(SPA_TYPE_OBJECT).putInt(SPA_TYPE_OBJECT_FORMAT).putInt(SPA_PARAM_ENUM_FORMAT);
        prop(b, SPA_FORMAT_MEDIA_TYPE, SPA_TYPE_ID, SPA_MEDIA_TYPE_AUDIO);
        prop(b, SPA_FORMAT_MEDIA_SUBTYPE, SPA_TYPE_ID, SPA_MEDIA_SUBTYPE_RAW);
        prop(b, SPA_FORMAT_AUDIO_FORMAT, SPA_TYPE_ID, SPA_AUDIO_FORMAT.get(format.sampleFormat()));
        prop(b, SPA_FORMAT_AUDIO_RATE, SPA_TYPE_INT, format.sampleRate());
        prop(b, SPA_FORMAT_AUDIO_CHANNELS, SPA_TYPE_INT, format.channels());
        b.putInt(SPA_FORMAT_AUDIO_POSITION).putInt(0);
        b.putInt(arrayBody).putInt(SPA_TYPE_ARRAY).putInt(4).putInt(SPA_TYPE_ID);
        for (int p : positions) {
            b.putInt(p);
        }
        while (b.position() % 8 != 0) {
            b.put((byte) 0);
        }
        return b.array();
    }

    /**
     * @param count buffers between PipeWire's converter and the stream (the pool the drain empties;
     *              the converter of PipeWire 0.3 offers at most 32)
     * @return the Buffers param pod asking for exactly {@code count} buffers
     */
    static byte[] buffers(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8 + 24).putInt(SPA_TYPE_OBJECT).putInt(SPA_TYPE_OBJECT_PARAM_BUFFERS).putInt(SPA_PARAM_BUFFERS);
        prop(b, SPA_PARAM_BUFFERS_BUFFERS, SPA_TYPE_INT, count);
        return b.array();
    }

    /** A property (key, flags 0) holding a 4-byte pod (Id or Int), padded to 8. */
    private static void prop(ByteBuffer b, int key, int type, int value) {
        b.putInt(key).putInt(0).putInt(4).putInt(type).putInt(value).putInt(0);
    }

    private static int pad(int n) {
        return (n + 7) & ~7;
    }
}
