package io.capstan.backend.platform.coreaudio.internal;

import io.capstan.api.AudioFormat;

/**
 * What the CoreAudio backend needs from the HAL and AudioToolbox, above the JNA binding, so that
 * its logic (device list, hot-plug, default following, buffers to frames) runs against a fake
 * in plain unit tests. Device handles are the HAL's {@code AudioObjectID}s: transient, never
 * shown; devices are identified by their UID.
 *
 * <p>Threading: listeners run on a HAL notification thread; {@link InputHandler#onBuffer}
 * runs on the AudioQueue's real-time thread.
 */
interface Hal {

    /** @return the {@code AudioObjectID} of every device ({@code kAudioHardwarePropertyDevices}) */
    int[] deviceIds() throws OSStatusException;

    /** @return the device's UID ({@code kAudioDevicePropertyDeviceUID}), stable across restarts */
    String uid(int device) throws OSStatusException;

    /** @return the device's name ({@code kAudioObjectPropertyName}) */
    String name(int device) throws OSStatusException;

    /** @return channels in the input scope's stream configuration; 0 for output-only devices */
    int inputChannels(int device) throws OSStatusException;

    /** @return the nominal sample rate, Hz */
    double nominalSampleRate(int device) throws OSStatusException;

    /** @return the {@code AudioObjectID} of the system's default input device; 0 when none */
    int defaultInputDevice() throws OSStatusException;

    /** Calls {@code listener} when the device list changes; closing the handle removes it. */
    AutoCloseable onDevicesChanged(Runnable listener) throws OSStatusException;

    /** Calls {@code listener} when the default input device changes. */
    AutoCloseable onDefaultInputChanged(Runnable listener) throws OSStatusException;

    /**
     * Starts an input AudioQueue on the device with this UID, F32 interleaved (or the given
     * format), {@code buffers} buffers of {@code bufferFrames} frames recycled.
     */
    InputQueue openInput(String uid, AudioFormat format, int buffers, int bufferFrames, InputHandler handler)
            throws OSStatusException;

    /** Receives filled buffers on the queue's thread. */
    interface InputHandler {
        /**
         * @param address   native address of the samples ({@code mAudioData})
         * @param byteCount valid bytes ({@code mAudioDataByteSize})
         */
        void onBuffer(long address, int byteCount);
    }

    /** A running input queue. */
    interface InputQueue extends AutoCloseable {
        /** Stops the queue after the queued buffers were delivered, then disposes of it. */
        @Override
        void close();
    }
}
