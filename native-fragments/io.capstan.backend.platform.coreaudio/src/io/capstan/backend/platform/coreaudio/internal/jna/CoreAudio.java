package io.capstan.backend.platform.coreaudio.internal.jna;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The CoreAudio framework's HAL object API (AudioHardware.h, AudioHardwareBase.h). Every call
 * returns an {@code OSStatus} (0 = noErr). Properties returning CFStringRef hand ownership to
 * the caller, who must CFRelease them. Listener procs run on a HAL notification thread, never
 * the I/O thread.
 */
public interface CoreAudio extends Library {

    /**
     * {@code OSStatus AudioObjectGetPropertyDataSize(AudioObjectID, const AudioObjectPropertyAddress*,
     * UInt32 inQualifierDataSize, const void* inQualifierData, UInt32* outDataSize)}.
     */
    int AudioObjectGetPropertyDataSize(int objectId, CoreAudioAbi.AudioObjectPropertyAddress.ByReference address,
            int qualifierSize, Pointer qualifier, IntByReference outSize);

    /**
     * {@code OSStatus AudioObjectGetPropertyData(AudioObjectID, const AudioObjectPropertyAddress*,
     * UInt32 inQualifierDataSize, const void* inQualifierData, UInt32* ioDataSize, void* outData)}.
     */
    int AudioObjectGetPropertyData(int objectId, CoreAudioAbi.AudioObjectPropertyAddress.ByReference address,
            int qualifierSize, Pointer qualifier, IntByReference ioSize, Pointer outData);

    /** {@code AudioObjectPropertyListenerProc}: OSStatus (AudioObjectID, UInt32, const AudioObjectPropertyAddress*, void*). */
    interface PropertyListener extends Callback {
        int invoke(int objectId, int numberAddresses, Pointer addresses, Pointer clientData);
    }

    /** {@code OSStatus AudioObjectAddPropertyListener(AudioObjectID, const AudioObjectPropertyAddress*, proc, void*)}. */
    int AudioObjectAddPropertyListener(int objectId, CoreAudioAbi.AudioObjectPropertyAddress.ByReference address,
            PropertyListener listener, Pointer clientData);

    /** {@code OSStatus AudioObjectRemovePropertyListener(...)}: the same proc and client data as added. */
    int AudioObjectRemovePropertyListener(int objectId, CoreAudioAbi.AudioObjectPropertyAddress.ByReference address,
            PropertyListener listener, Pointer clientData);
}
