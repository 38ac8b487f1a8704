package io.capstan.backend.platform.coreaudio.internal.jna;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * AudioToolbox's AudioQueue input API (AudioQueue.h), direct-mapped: the per-buffer call
 * ({@link #AudioQueueEnqueueBuffer}) runs in the input callback. All return {@code OSStatus}.
 * Bound by {@link #bind} from component activation, never in a static initializer.
 */
public final class AudioToolbox {

    private static volatile boolean bound;

    private AudioToolbox() {
    }

    /** Registers the natives against the loaded framework; idempotent. */
    public static synchronized void bind(NativeLibrary audioToolbox) {
        if (!bound) {
            Native.register(AudioToolbox.class, audioToolbox);
            bound = true;
        }
    }

    /**
     * {@code AudioQueueInputCallback}: void (void* inUserData, AudioQueueRef, AudioQueueBufferRef,
     * const AudioTimeStamp*, UInt32 inNumberPacketDescriptions, const AudioStreamPacketDescription*).
     * Runs on the queue's own thread when no run loop is given: real-time rules apply.
     */
    public interface InputCallback extends Callback {
        /** Pointers as plain addresses ({@code long}, LP64) so that a call allocates nothing. */
        void invoke(long userData, long queue, long buffer, long startTime, int packetDescriptions, long packetDescs);
    }

    /**
     * {@code OSStatus AudioQueueNewInput(const AudioStreamBasicDescription*, AudioQueueInputCallback,
     * void* inUserData, CFRunLoopRef (NULL: internal thread), CFStringRef inCallbackRunLoopMode,
     * UInt32 inFlags (0), AudioQueueRef* outAQ)}.
     */
    public static native int AudioQueueNewInput(CoreAudioAbi.AudioStreamBasicDescription format,
            InputCallback callback, Pointer userData, Pointer runLoop, Pointer runLoopMode, int flags,
            PointerByReference outQueue);

    /** {@code OSStatus AudioQueueAllocateBuffer(AudioQueueRef, UInt32 inBufferByteSize, AudioQueueBufferRef* out)}. */
    public static native int AudioQueueAllocateBuffer(Pointer queue, int bytes, PointerByReference outBuffer);

    /** {@code OSStatus AudioQueueEnqueueBuffer(AudioQueueRef, AudioQueueBufferRef, UInt32 (0), const AudioStreamPacketDescription* (NULL))}. */
    public static native int AudioQueueEnqueueBuffer(long queue, long buffer, int packetDescriptions,
            long packetDescs);

    /** {@code OSStatus AudioQueueSetProperty(AudioQueueRef, AudioQueuePropertyID, const void*, UInt32)}. */
    public static native int AudioQueueSetProperty(Pointer queue, int property, Pointer data, int size);

    /** {@code OSStatus AudioQueueStart(AudioQueueRef, const AudioTimeStamp* (NULL: now))}. */
    public static native int AudioQueueStart(Pointer queue, Pointer startTime);

    /** {@code OSStatus AudioQueueStop(AudioQueueRef, Boolean inImmediate)}: false delivers what is queued first. */
    public static native int AudioQueueStop(Pointer queue, byte immediate);

    /** {@code OSStatus AudioQueueDispose(AudioQueueRef, Boolean inImmediate)}: frees its buffers too. */
    public static native int AudioQueueDispose(Pointer queue, byte immediate);
}
