package io.capstan.backend.platform.coreaudio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.SampleFormat;

class CoreAudioBackendTest {

    private final FakeHal hal = new FakeHal();

    private CoreAudioBackend backend() throws Exception {
        return new CoreAudioBackend(hal, hal::copierFor);
    }

    private static List<String> ids(CoreAudioBackend b) {
        return b.devices().stream().map(Device::id).toList();
    }

    @Test
    void listsOnlyDevicesWithInputChannelsById() throws Exception {
        hal.add(10, "BuiltInMicrophoneDevice", "MacBook Pro Microphone", 1, 48_000.0);
        hal.add(11, "BuiltInSpeakerDevice", "MacBook Pro Speakers", 0, 48_000.0);
        hal.add(12, "AppleUSBAudioEngine:Focusrite:1", "Scarlett 2i2", 2, 44_100.0);
        CoreAudioBackend b = backend();
        assertEquals(List.of("AppleUSBAudioEngine:Focusrite:1", "BuiltInMicrophoneDevice"), ids(b));
        Device scarlett = b.devices().get(0);
        assertEquals("Scarlett 2i2", scarlett.description());
        assertEquals(new AudioFormat(44_100, 2, SampleFormat.F32_LE), scarlett.nativeFormat());
        assertEquals("coreaudio", scarlett.backend());
    }

    @Test
    void skipsDeviceThatFailsWhileBeingReadAndSaysSo() throws Exception {
        hal.add(10, "mic", "Mic", 1, 48_000.0);
        hal.devices.put(13, new FakeHal.FakeDevice("gone", "Gone", 2, 48_000.0, true));
        CoreAudioBackend b = backend();
        assertEquals(List.of("mic"), ids(b));
        assertTrue(b.problem().contains("kAudioHardwareBadObjectError"), b.problem());
    }

    @Test
    void followsHotPlugAndTellsListeners() throws Exception {
        CoreAudioBackend b = backend();
        AtomicInteger told = new AtomicInteger();
        b.addDeviceListener(x -> told.incrementAndGet());
        hal.add(20, "usb-mic", "USB Mic", 1, 48_000.0);
        assertEquals(List.of("usb-mic"), ids(b));
        hal.remove(20);
        assertEquals(List.of(), ids(b));
        assertEquals(2, told.get());
    }

    @Test
    void followsTheSystemDefaultInput() throws Exception {
        hal.add(10, "mic", "Mic", 1, 48_000.0);
        hal.add(12, "usb", "USB", 2, 48_000.0);
        hal.defaultDevice = 10;
        CoreAudioBackend b = backend();
        assertEquals(Optional.of("mic"), b.defaultDeviceId());
        AtomicInteger told = new AtomicInteger();
        b.addDeviceListener(x -> told.incrementAndGet());
        hal.setDefault(12);
        assertEquals(Optional.of("usb"), b.defaultDeviceId());
        assertEquals(1, told.get());
    }

    @Test
    void capturesIntoTheSinkAndEndsCleanlyWhenItIsFull() throws Exception {
        hal.add(10, "mic", "Mic", 1, 48_000.0);
        CoreAudioBackend b = backend();
        Device mic = b.devices().get(0);
        RecordingSink sink = new RecordingSink(4, 40);
        CaptureStream stream = b.open(mic, mic.nativeFormat(), sink);
        FakeHal.FakeQueue q = hal.queues.get(0);
        assertEquals("mic", q.uid);
        q.deliver(new byte[32]);
        q.deliver(new byte[32]);
        assertTrue(sink.awaitEnd());
        assertNull(sink.failure);
        assertEquals(40, sink.bytes.size());
        assertTrue(q.closed, "the queue is stopped and disposed");
        assertTrue(((CoreAudioCapture) stream).awaitEnd(5_000));
        assertTrue(stream.isEnded());
        assertEquals(2, stream.statistics().callbacks());
    }

    @Test
    void deviceRemovedMidTakeEndsTakeWithReason() throws Exception {
        hal.add(10, "mic", "Mic", 1, 48_000.0);
        CoreAudioBackend b = backend();
        RecordingSink sink = new RecordingSink(4, Long.MAX_VALUE);
        b.open(b.devices().get(0), b.devices().get(0).nativeFormat(), sink);
        hal.queues.get(0).deliver(new byte[64]);
        hal.remove(10);
        assertTrue(sink.awaitEnd());
        assertEquals(64, sink.bytes.size(), "what was captured before is kept");
        assertTrue(sink.failure.getMessage().contains("disappeared"), sink.failure.getMessage());
        assertTrue(hal.queues.get(0).closed);
    }

    @Test
    void refusesRateOrChannelsOtherThanTheDevices() throws Exception {
        hal.add(10, "mic", "Mic", 1, 48_000.0);
        CoreAudioBackend b = backend();
        Device mic = b.devices().get(0);
        CaptureException e = assertThrows(CaptureException.class,
                () -> b.open(mic, new AudioFormat(44_100, 1, SampleFormat.F32_LE), new RecordingSink(4, 4)));
        assertTrue(e.getMessage().contains("48000 Hz 1ch"), e.getMessage());
    }

    @Test
    void stopEndsTheTakeWithoutFailure() throws Exception {
        hal.add(10, "mic", "Mic", 1, 48_000.0);
        CoreAudioBackend b = backend();
        RecordingSink sink = new RecordingSink(4, Long.MAX_VALUE);
        CaptureStream s = b.open(b.devices().get(0), b.devices().get(0).nativeFormat(), sink);
        s.stop();
        assertTrue(sink.awaitEnd());
        assertNull(sink.failure);
    }
}
