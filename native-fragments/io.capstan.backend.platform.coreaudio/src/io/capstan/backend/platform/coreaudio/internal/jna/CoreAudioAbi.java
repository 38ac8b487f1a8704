package io.capstan.backend.platform.coreaudio.internal.jna;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

import io.capstan.backend.platform.coreaudio.internal.FourCC;

/**
 * Every struct layout and constant of CoreAudio and AudioToolbox Capstan uses, each with the
 * header it comes from (macOS SDK, CoreAudio.framework and AudioToolbox.framework). Layouts
 * are for the LP64 ABI of macOS on x86_64 and arm64 (pointers 8 bytes, natural alignment);
 * tests check sizes and offsets against the values the headers define.
 */
public final class CoreAudioAbi {

    private CoreAudioAbi() {
    }

    // AudioHardwareBase.h
    /** {@code kAudioObjectSystemObject}: the HAL's system object id. */
    public static final int SYSTEM_OBJECT = 1;
    /** {@code kAudioObjectPropertyScopeGlobal}. */
    public static final int SCOPE_GLOBAL = FourCC.of("glob");
    /** {@code kAudioObjectPropertyScopeInput}. */
    public static final int SCOPE_INPUT = FourCC.of("inpt");
    /** {@code kAudioObjectPropertyElementMain} (formerly ...ElementMaster). */
    public static final int ELEMENT_MAIN = 0;
    /** {@code kAudioObjectPropertyName}: CFStringRef, caller releases. */
    public static final int PROPERTY_NAME = FourCC.of("lnam");

    // AudioHardware.h
    /** {@code kAudioHardwarePropertyDevices}: AudioObjectID[] of every device. */
    public static final int HARDWARE_DEVICES = FourCC.of("dev#");
    /** {@code kAudioHardwarePropertyDefaultInputDevice}: AudioObjectID. */
    public static final int HARDWARE_DEFAULT_INPUT = FourCC.of("dIn ");
    /** {@code kAudioDevicePropertyDeviceUID}: CFStringRef, stable across restarts, caller releases. */
    public static final int DEVICE_UID = FourCC.of("uid ");
    /** {@code kAudioDevicePropertyStreamConfiguration}: AudioBufferList; channels per scope. */
    public static final int DEVICE_STREAM_CONFIGURATION = FourCC.of("slay");
    /** {@code kAudioDevicePropertyNominalSampleRate}: Float64, Hz. */
    public static final int DEVICE_NOMINAL_SAMPLE_RATE = FourCC.of("nsrt");
    /** {@code kAudioDevicePropertyDeviceIsAlive}: UInt32, 0 once the device is gone. */
    public static final int DEVICE_IS_ALIVE = FourCC.of("livn");

    // CoreAudioBaseTypes.h (CoreAudioTypes.h before macOS 11)
    /** {@code kAudioFormatLinearPCM}. */
    public static final int FORMAT_LINEAR_PCM = FourCC.of("lpcm");
    /** {@code kAudioFormatFlagIsFloat}. */
    public static final int FLAG_IS_FLOAT = 1;
    /** {@code kAudioFormatFlagIsSignedInteger}. */
    public static final int FLAG_IS_SIGNED_INTEGER = 1 << 2;
    /** {@code kAudioFormatFlagIsPacked}. */
    public static final int FLAG_IS_PACKED = 1 << 3;

    // AudioQueue.h
    /** {@code kAudioQueueProperty_CurrentDevice}: CFStringRef device UID. */
    public static final int QUEUE_CURRENT_DEVICE = FourCC.of("aqcd");

    // CFString.h
    /** {@code kCFStringEncodingUTF8}. */
    public static final int CF_STRING_ENCODING_UTF8 = 0x08000100;

    /** AudioHardwareBase.h: {@code struct AudioObjectPropertyAddress}, 12 bytes. */
    @FieldOrder({ "mSelector", "mScope", "mElement" })
    public static class AudioObjectPropertyAddress extends Structure {
        /** UInt32 property selector, a FourCC. */
        public int mSelector;
        /** UInt32 scope: global, input, output. */
        public int mScope;
        /** UInt32 element; 0 = main. */
        public int mElement;

        public AudioObjectPropertyAddress() {
        }

        public AudioObjectPropertyAddress(int selector, int scope, int element) {
            mSelector = selector;
            mScope = scope;
            mElement = element;
        }

        /** Passed by reference (a {@code const AudioObjectPropertyAddress*}). */
        public static class ByReference extends AudioObjectPropertyAddress implements Structure.ByReference {
            public ByReference() {
            }

            public ByReference(int selector, int scope, int element) {
                super(selector, scope, element);
            }
        }
    }

    /** CoreAudioBaseTypes.h: {@code struct AudioStreamBasicDescription}, 40 bytes. */
    @FieldOrder({ "mSampleRate", "mFormatID", "mFormatFlags", "mBytesPerPacket", "mFramesPerPacket",
            "mBytesPerFrame", "mChannelsPerFrame", "mBitsPerChannel", "mReserved" })
    public static class AudioStreamBasicDescription extends Structure {
        /** Float64 frames per second, Hz. */
        public double mSampleRate;
        /** UInt32 format, {@link #FORMAT_LINEAR_PCM}. */
        public int mFormatID;
        /** UInt32 format flags ({@link #FLAG_IS_FLOAT}, {@link #FLAG_IS_PACKED}, ...). */
        public int mFormatFlags;
        /** UInt32 bytes per packet; for PCM = bytes per frame. */
        public int mBytesPerPacket;
        /** UInt32 frames per packet; 1 for PCM. */
        public int mFramesPerPacket;
        /** UInt32 bytes per frame (all channels, interleaved). */
        public int mBytesPerFrame;
        /** UInt32 channels per frame. */
        public int mChannelsPerFrame;
        /** UInt32 bits per sample of one channel. */
        public int mBitsPerChannel;
        /** UInt32 padding, 0. */
        public int mReserved;
    }

    /** CoreAudioBaseTypes.h: {@code struct AudioBuffer}, 16 bytes. */
    @FieldOrder({ "mNumberChannels", "mDataByteSize", "mData" })
    public static class AudioBuffer extends Structure {
        /** UInt32 interleaved channels in the buffer. */
        public int mNumberChannels;
        /** UInt32 bytes of {@link #mData}. */
        public int mDataByteSize;
        /** void* samples. */
        public Pointer mData;
    }

    /**
     * CoreAudioBaseTypes.h: {@code struct AudioBufferList} with its variable-length array
     * ({@code mBuffers[1]}) at offset 8; size 8 + 16 × buffers.
     */
    @FieldOrder({ "mNumberBuffers", "mBuffers" })
    public static class AudioBufferList extends Structure {
        /** UInt32 entries in {@link #mBuffers}. */
        public int mNumberBuffers;
        /** AudioBuffer[mNumberBuffers]. */
        public AudioBuffer[] mBuffers = new AudioBuffer[1];

        public AudioBufferList() {
        }

        /** Reads a list of any length the HAL wrote at {@code p}. */
        public AudioBufferList(Pointer p) {
            super(p);
            int n = p.getInt(0);
            mBuffers = new AudioBuffer[Math.max(1, n)];
            read();
        }
    }

    /**
     * AudioQueue.h: {@code struct AudioQueueBuffer}, 56 bytes. Read in the input callback
     * through the offsets below (no Structure allocation on the real-time path).
     */
    @FieldOrder({ "mAudioDataBytesCapacity", "mAudioData", "mAudioDataByteSize", "mUserData",
            "mPacketDescriptionCapacity", "mPacketDescriptions", "mPacketDescriptionCount" })
    public static class AudioQueueBuffer extends Structure {
        /** const UInt32 capacity of {@link #mAudioData}, bytes. */
        public int mAudioDataBytesCapacity;
        /** void* const the samples. */
        public Pointer mAudioData;
        /** UInt32 valid bytes in {@link #mAudioData}. */
        public int mAudioDataByteSize;
        /** void* caller's data. */
        public Pointer mUserData;
        /** const UInt32 capacity of {@link #mPacketDescriptions}. */
        public int mPacketDescriptionCapacity;
        /** AudioStreamPacketDescription* const, null for PCM. */
        public Pointer mPacketDescriptions;
        /** UInt32 valid packet descriptions. */
        public int mPacketDescriptionCount;
    }

    /** Offset of {@code AudioQueueBuffer.mAudioData} (void*). */
    public static final int QUEUE_BUFFER_AUDIO_DATA = 8;
    /** Offset of {@code AudioQueueBuffer.mAudioDataByteSize} (UInt32). */
    public static final int QUEUE_BUFFER_BYTE_SIZE = 16;
}
