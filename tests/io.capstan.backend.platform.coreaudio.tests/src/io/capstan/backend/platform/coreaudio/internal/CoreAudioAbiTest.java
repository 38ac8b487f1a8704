package io.capstan.backend.platform.coreaudio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import io.capstan.backend.platform.coreaudio.internal.jna.CoreAudioAbi;

/**
 * Sizes and offsets against what the macOS SDK headers define for LP64 (x86_64 and arm64 use
 * the same layout for these structs): AudioHardwareBase.h, CoreAudioBaseTypes.h, AudioQueue.h.
 * Offsets are checked by writing a marker into one field and finding it in native memory.
 */
class CoreAudioAbiTest {

    @Test
    void audioObjectPropertyAddressIs12Bytes() {
        CoreAudioAbi.AudioObjectPropertyAddress a = new CoreAudioAbi.AudioObjectPropertyAddress(1, 2, 3);
        assertEquals(12, a.size());
        a.write();
        assertEquals(1, a.getPointer().getInt(0));
        assertEquals(2, a.getPointer().getInt(4));
        assertEquals(3, a.getPointer().getInt(8));
    }

    @Test
    void audioStreamBasicDescriptionIs40BytesWithFloat64First() {
        CoreAudioAbi.AudioStreamBasicDescription d = new CoreAudioAbi.AudioStreamBasicDescription();
        assertEquals(40, d.size());
        d.mSampleRate = 48_000.0;
        d.mFormatID = CoreAudioAbi.FORMAT_LINEAR_PCM;
        d.mBytesPerFrame = 8;
        d.mChannelsPerFrame = 2;
        d.mBitsPerChannel = 32;
        d.write();
        Pointer p = d.getPointer();
        assertEquals(48_000.0, p.getDouble(0));
        assertEquals(FourCC.of("lpcm"), p.getInt(8));
        assertEquals(8, p.getInt(24));
        assertEquals(2, p.getInt(28));
        assertEquals(32, p.getInt(32));
    }

    @Test
    void audioBufferListHasItsArrayAtOffset8() {
        Memory m = new Memory(8 + 16 * 2);
        m.clear();
        m.setInt(0, 2);
        m.setInt(8, 1);
        m.setInt(8 + 16, 3);
        CoreAudioAbi.AudioBufferList list = new CoreAudioAbi.AudioBufferList(m);
        assertEquals(2, list.mNumberBuffers);
        assertEquals(1, list.mBuffers[0].mNumberChannels);
        assertEquals(3, list.mBuffers[1].mNumberChannels);
        assertEquals(16, new CoreAudioAbi.AudioBuffer().size());
        assertEquals(24, new CoreAudioAbi.AudioBufferList().size());
    }

    @Test
    void audioQueueBufferIs56BytesWithDataAt8AndSizeAt16() {
        CoreAudioAbi.AudioQueueBuffer b = new CoreAudioAbi.AudioQueueBuffer();
        assertEquals(56, b.size());
        b.mAudioDataBytesCapacity = 4096;
        b.mAudioData = new Pointer(0x1122334455667788L);
        b.mAudioDataByteSize = 2048;
        b.mPacketDescriptionCount = 7;
        b.write();
        Pointer p = b.getPointer();
        assertEquals(4096, p.getInt(0));
        assertEquals(0x1122334455667788L, p.getLong(CoreAudioAbi.QUEUE_BUFFER_AUDIO_DATA));
        assertEquals(2048, p.getInt(CoreAudioAbi.QUEUE_BUFFER_BYTE_SIZE));
        assertEquals(7, p.getInt(48));
    }

    /** The numeric values of the headers' selectors and scopes. */
    @Test
    void constantsHaveTheHeadersValues() {
        assertEquals(1684370979, CoreAudioAbi.HARDWARE_DEVICES);
        assertEquals(1735159650, CoreAudioAbi.SCOPE_GLOBAL);
        assertEquals(1768845428, CoreAudioAbi.SCOPE_INPUT);
        assertEquals(1819304813, CoreAudioAbi.FORMAT_LINEAR_PCM);
        assertEquals(1969841184, CoreAudioAbi.DEVICE_UID);
        assertEquals(1634820964, CoreAudioAbi.QUEUE_CURRENT_DEVICE);
        assertEquals(FourCC.of("dIn "), CoreAudioAbi.HARDWARE_DEFAULT_INPUT);
        assertEquals(FourCC.of("slay"), CoreAudioAbi.DEVICE_STREAM_CONFIGURATION);
        assertEquals(FourCC.of("nsrt"), CoreAudioAbi.DEVICE_NOMINAL_SAMPLE_RATE);
        assertEquals(1, CoreAudioAbi.SYSTEM_OBJECT);
        assertEquals(9, CoreAudioAbi.FLAG_IS_FLOAT | CoreAudioAbi.FLAG_IS_PACKED);
    }
}
