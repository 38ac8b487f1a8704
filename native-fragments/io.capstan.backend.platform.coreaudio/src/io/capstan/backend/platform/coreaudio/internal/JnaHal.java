package io.capstan.backend.platform.coreaudio.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import io.capstan.api.AudioFormat;
import io.capstan.backend.platform.Callbacks;
import io.capstan.backend.platform.NativeLibraries;
import io.capstan.backend.platform.NativeMemory;
import io.capstan.backend.platform.coreaudio.internal.jna.AudioToolbox;
import io.capstan.backend.platform.coreaudio.internal.jna.CoreAudio;
import io.capstan.backend.platform.coreaudio.internal.jna.CoreAudioAbi;
import io.capstan.backend.platform.coreaudio.internal.jna.CoreAudioAbi.AudioObjectPropertyAddress;
import io.capstan.backend.platform.coreaudio.internal.jna.CoreFoundation;

/**
 * {@link Hal} through JNA on the CoreAudio, AudioToolbox and CoreFoundation frameworks.
 * Never run: written against the macOS SDK headers, built and unit-tested on Linux only
 * (docs/PLATFORMS.md).
 */
final class JnaHal implements Hal {

    private static final String HINT = "CoreAudio ships with macOS; this backend runs on macOS only";

    private final CoreAudio coreAudio;
    private final CoreFoundation cf;
    /** Listener procs stay strongly referenced while registered (JNA frees collected trampolines). */
    private final List<CoreAudio.PropertyListener> listeners = new CopyOnWriteArrayList<>();

    private JnaHal(CoreAudio coreAudio, CoreFoundation cf) {
        this.coreAudio = coreAudio;
        this.cf = cf;
    }

    /** Loads the frameworks. @throws UnsatisfiedLinkError naming every library tried */
    static JnaHal open() {
        NativeLibrary ca = NativeLibraries.load("CoreAudio", HINT, "CoreAudio",
                "/System/Library/Frameworks/CoreAudio.framework/CoreAudio");
        NativeLibrary tb = NativeLibraries.load("AudioToolbox", HINT, "AudioToolbox",
                "/System/Library/Frameworks/AudioToolbox.framework/AudioToolbox");
        NativeLibrary cfLib = NativeLibraries.load("CoreFoundation", HINT, "CoreFoundation",
                "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation");
        AudioToolbox.bind(tb);
        NativeMemory.bind();
        return new JnaHal(Native.load(ca.getName(), CoreAudio.class), Native.load(cfLib.getName(), CoreFoundation.class));
    }

    private static AudioObjectPropertyAddress.ByReference address(int selector, int scope) {
        return new AudioObjectPropertyAddress.ByReference(selector, scope, CoreAudioAbi.ELEMENT_MAIN);
    }

    private Memory property(int object, int selector, int scope, String what) throws OSStatusException {
        AudioObjectPropertyAddress.ByReference a = address(selector, scope);
        IntByReference size = new IntByReference();
        OSStatusException.check("AudioObjectGetPropertyDataSize(" + what + ")",
                coreAudio.AudioObjectGetPropertyDataSize(object, a, 0, null, size));
        Memory data = new Memory(Math.max(1, size.getValue()));
        data.clear();
        OSStatusException.check("AudioObjectGetPropertyData(" + what + ")",
                coreAudio.AudioObjectGetPropertyData(object, a, 0, null, size, data));
        return data;
    }

    @Override
    public int[] deviceIds() throws OSStatusException {
        Memory m = property(CoreAudioAbi.SYSTEM_OBJECT, CoreAudioAbi.HARDWARE_DEVICES, CoreAudioAbi.SCOPE_GLOBAL,
                "devices");
        return m.getIntArray(0, (int) (m.size() / 4));
    }

    private String cfString(int object, int selector, String what) throws OSStatusException {
        Pointer string = property(object, selector, CoreAudioAbi.SCOPE_GLOBAL, what).getPointer(0);
        if (string == null) {
            return "";
        }
        try {
            long units = cf.CFStringGetLength(string);
            byte[] buf = new byte[(int) (units * 4 + 1)];
            if (cf.CFStringGetCString(string, buf, buf.length, CoreAudioAbi.CF_STRING_ENCODING_UTF8) == 0) {
                return "";
            }
            return Native.toString(buf, "UTF-8");
        } finally {
            cf.CFRelease(string);
        }
    }

    @Override
    public String uid(int device) throws OSStatusException {
        return cfString(device, CoreAudioAbi.DEVICE_UID, "uid");
    }

    @Override
    public String name(int device) throws OSStatusException {
        return cfString(device, CoreAudioAbi.PROPERTY_NAME, "name");
    }

    @Override
    public int inputChannels(int device) throws OSStatusException {
        Memory m = property(device, CoreAudioAbi.DEVICE_STREAM_CONFIGURATION, CoreAudioAbi.SCOPE_INPUT,
                "input stream configuration");
        CoreAudioAbi.AudioBufferList list = new CoreAudioAbi.AudioBufferList(m);
        int channels = 0;
        for (int i = 0; i < list.mNumberBuffers; i++) {
            channels += list.mBuffers[i].mNumberChannels;
        }
        return channels;
    }

    @Override
    public double nominalSampleRate(int device) throws OSStatusException {
        return property(device, CoreAudioAbi.DEVICE_NOMINAL_SAMPLE_RATE, CoreAudioAbi.SCOPE_GLOBAL, "nominal rate")
                .getDouble(0);
    }

    @Override
    public int defaultInputDevice() throws OSStatusException {
        return property(CoreAudioAbi.SYSTEM_OBJECT, CoreAudioAbi.HARDWARE_DEFAULT_INPUT, CoreAudioAbi.SCOPE_GLOBAL,
                "default input").getInt(0);
    }

    private AutoCloseable listen(int selector, Runnable listener) throws OSStatusException {
        AudioObjectPropertyAddress.ByReference a = address(selector, CoreAudioAbi.SCOPE_GLOBAL);
        CoreAudio.PropertyListener proc = (object, n, addresses, data) -> {
            listener.run();
            return 0;
        };
        Callbacks.attached(proc, "capstan-coreaudio-hal");
        listeners.add(proc);
        OSStatusException.check("AudioObjectAddPropertyListener",
                coreAudio.AudioObjectAddPropertyListener(CoreAudioAbi.SYSTEM_OBJECT, a, proc, null));
        return () -> {
            coreAudio.AudioObjectRemovePropertyListener(CoreAudioAbi.SYSTEM_OBJECT, a, proc, null);
            listeners.remove(proc);
        };
    }

    @Override
    public AutoCloseable onDevicesChanged(Runnable listener) throws OSStatusException {
        return listen(CoreAudioAbi.HARDWARE_DEVICES, listener);
    }

    @Override
    public AutoCloseable onDefaultInputChanged(Runnable listener) throws OSStatusException {
        return listen(CoreAudioAbi.HARDWARE_DEFAULT_INPUT, listener);
    }

    @Override
    public InputQueue openInput(String uid, AudioFormat format, int buffers, int bufferFrames, InputHandler handler)
            throws OSStatusException {
        CoreAudioAbi.AudioStreamBasicDescription asbd = new CoreAudioAbi.AudioStreamBasicDescription();
        asbd.mSampleRate = format.sampleRate();
        asbd.mFormatID = CoreAudioAbi.FORMAT_LINEAR_PCM;
        asbd.mFormatFlags = CoreAudioAbi.FLAG_IS_PACKED | (format.sampleFormat().isFloatingPoint()
                ? CoreAudioAbi.FLAG_IS_FLOAT : CoreAudioAbi.FLAG_IS_SIGNED_INTEGER);
        asbd.mBytesPerPacket = format.bytesPerFrame();
        asbd.mFramesPerPacket = 1;
        asbd.mBytesPerFrame = format.bytesPerFrame();
        asbd.mChannelsPerFrame = format.channels();
        asbd.mBitsPerChannel = format.sampleFormat().bitsPerSample();
        asbd.write();
        // Scratch for reading AudioQueueBuffer fields without allocating: [0,8) mAudioData, [8,12) size.
        ByteBuffer scratch = ByteBuffer.allocateDirect(16).order(java.nio.ByteOrder.nativeOrder());
        long scratchAddress = Pointer.nativeValue(Native.getDirectBufferPointer(scratch));
        AudioToolbox.InputCallback callback = (userData, queue, buffer, start, n, descs) -> {
            NativeMemory.memcpy(scratchAddress, buffer + CoreAudioAbi.QUEUE_BUFFER_AUDIO_DATA, 8);
            NativeMemory.memcpy(scratchAddress + 8, buffer + CoreAudioAbi.QUEUE_BUFFER_BYTE_SIZE, 4);
            handler.onBuffer(scratch.getLong(0), scratch.getInt(8));
            AudioToolbox.AudioQueueEnqueueBuffer(queue, buffer, 0, 0);
        };
        Callbacks.attached(callback, "capstan-coreaudio-input");
        PointerByReference out = new PointerByReference();
        OSStatusException.check("AudioQueueNewInput",
                AudioToolbox.AudioQueueNewInput(asbd, callback, null, null, null, 0, out));
        Pointer queue = out.getValue();
        Pointer uidString = cf.CFStringCreateWithCString(null, uid, CoreAudioAbi.CF_STRING_ENCODING_UTF8);
        try {
            Memory ref = new Memory(Native.POINTER_SIZE);
            ref.setPointer(0, uidString);
            OSStatusException.check("AudioQueueSetProperty(CurrentDevice " + uid + ")",
                    AudioToolbox.AudioQueueSetProperty(queue, CoreAudioAbi.QUEUE_CURRENT_DEVICE, ref,
                            Native.POINTER_SIZE));
            for (int i = 0; i < buffers; i++) {
                PointerByReference buffer = new PointerByReference();
                OSStatusException.check("AudioQueueAllocateBuffer", AudioToolbox.AudioQueueAllocateBuffer(queue,
                        bufferFrames * format.bytesPerFrame(), buffer));
                OSStatusException.check("AudioQueueEnqueueBuffer", AudioToolbox.AudioQueueEnqueueBuffer(
                        Pointer.nativeValue(queue), Pointer.nativeValue(buffer.getValue()), 0, 0));
            }
            OSStatusException.check("AudioQueueStart", AudioToolbox.AudioQueueStart(queue, null));
        } catch (OSStatusException e) {
            AudioToolbox.AudioQueueDispose(queue, (byte) 1);
            throw e;
        } finally {
            cf.CFRelease(uidString);
        }
        return new InputQueue() {
            @SuppressWarnings("unused")
            private final Object keep = callback; // the trampoline lives as long as the queue

            @Override
            public void close() {
                AudioToolbox.AudioQueueStop(queue, (byte) 0);
                AudioToolbox.AudioQueueDispose(queue, (byte) 0);
            }
        };
    }
}
