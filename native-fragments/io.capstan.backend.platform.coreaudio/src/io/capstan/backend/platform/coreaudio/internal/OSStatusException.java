package io.capstan.backend.platform.coreaudio.internal;

import java.util.Map;

import io.capstan.api.CaptureException;

/**
 * A CoreAudio/AudioToolbox call returned an {@code OSStatus} other than {@code noErr}. The
 * message decodes it: a four-character code ({@code '!obj'}) or a number, with the constant's
 * name from the headers when known.
 */
public final class OSStatusException extends CaptureException {

    private static final long serialVersionUID = 1L;

    /** Names of the codes Capstan meets, from AudioHardwareBase.h and AudioQueue.h. */
    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(FourCC.of("stop"), "kAudioHardwareNotRunningError"),
            Map.entry(FourCC.of("what"), "kAudioHardwareUnspecifiedError"),
            Map.entry(FourCC.of("who?"), "kAudioHardwareUnknownPropertyError"),
            Map.entry(FourCC.of("!siz"), "kAudioHardwareBadPropertySizeError"),
            Map.entry(FourCC.of("nope"), "kAudioHardwareIllegalOperationError"),
            Map.entry(FourCC.of("!obj"), "kAudioHardwareBadObjectError"),
            Map.entry(FourCC.of("!dev"), "kAudioHardwareBadDeviceError"),
            Map.entry(FourCC.of("!str"), "kAudioHardwareBadStreamError"),
            Map.entry(FourCC.of("unop"), "kAudioHardwareUnsupportedOperationError"),
            Map.entry(FourCC.of("!dat"), "kAudioDeviceUnsupportedFormatError"),
            Map.entry(FourCC.of("!hog"), "kAudioDevicePermissionsError"),
            Map.entry(-66687, "kAudioQueueErr_InvalidBuffer"),
            Map.entry(-66686, "kAudioQueueErr_BufferEmpty"),
            Map.entry(-66685, "kAudioQueueErr_DisposalPending"),
            Map.entry(-66684, "kAudioQueueErr_InvalidProperty"),
            Map.entry(-66683, "kAudioQueueErr_InvalidPropertySize"),
            Map.entry(-66682, "kAudioQueueErr_InvalidParameter"),
            Map.entry(-66681, "kAudioQueueErr_CannotStart"),
            Map.entry(-66680, "kAudioQueueErr_InvalidDevice"),
            Map.entry(-66679, "kAudioQueueErr_BufferInQueue"),
            Map.entry(-66678, "kAudioQueueErr_InvalidRunState"),
            Map.entry(-66677, "kAudioQueueErr_InvalidQueueType"),
            Map.entry(-66676, "kAudioQueueErr_Permissions"),
            Map.entry(-66675, "kAudioQueueErr_InvalidPropertyValue"),
            Map.entry(-66671, "kAudioQueueErr_QueueInvalidated"),
            Map.entry(-50, "paramErr"),
            Map.entry(-108, "memFullErr"));

    private final int status;

    /**
     * @param call   the function that failed, e.g. {@code AudioQueueStart}
     * @param status its result
     */
    public OSStatusException(String call, int status) {
        super(call + " failed: " + describe(status));
        this.status = status;
    }

    /** @return the raw {@code OSStatus} */
    public int status() {
        return status;
    }

    /** @return e.g. {@code 'who?' (kAudioHardwareUnknownPropertyError, 2003332927)} or {@code -66681 (kAudioQueueErr_CannotStart)} */
    public static String describe(int status) {
        String name = NAMES.get(status);
        String code = FourCC.isPrintable(status) ? "'" + FourCC.toString(status) + "'" : Integer.toString(status);
        if (name == null) {
            return FourCC.isPrintable(status) ? code + " (" + status + ")" : code;
        }
        return FourCC.isPrintable(status) ? code + " (" + name + ", " + status + ")" : code + " (" + name + ")";
    }

    /** Throws when {@code status} is not {@code noErr} (0). */
    public static void check(String call, int status) throws OSStatusException {
        if (status != 0) {
            throw new OSStatusException(call, status);
        }
    }
}
