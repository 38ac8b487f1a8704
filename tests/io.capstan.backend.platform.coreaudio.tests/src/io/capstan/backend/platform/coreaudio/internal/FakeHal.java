package io.capstan.backend.platform.coreaudio.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.capstan.api.AudioFormat;

/** A HAL in memory: devices the test adds and removes, listeners it fires, queues it feeds. */
final class FakeHal implements Hal {

    record FakeDevice(String uid, String name, int inputChannels, double rate, boolean failing) {
    }

    /** An open input queue: the test pushes buffers through it. */
    final class FakeQueue implements InputQueue {
        final String uid;
        final InputHandler handler;
        volatile boolean closed;

        FakeQueue(String uid, InputHandler handler) {
            this.uid = uid;
            this.handler = handler;
        }

        /** Delivers bytes as a filled buffer; their "address" is their offset in {@link #memory}. */
        void deliver(byte[] data) {
            int address = memoryUsed;
            memory.position(address);
            memory.put(data);
            memoryUsed += data.length;
            handler.onBuffer(address, data.length);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    final Map<Integer, FakeDevice> devices = new LinkedHashMap<>();
    final List<Runnable> deviceListeners = new CopyOnWriteArrayList<>();
    final List<Runnable> defaultListeners = new CopyOnWriteArrayList<>();
    final List<FakeQueue> queues = new ArrayList<>();
    final ByteBuffer memory = ByteBuffer.allocate(1 << 20);
    int memoryUsed;
    int defaultDevice;

    /** The copier of the fake: "addresses" index {@link #memory}. */
    FrameDelivery.Copier copierFor(ByteBuffer staging) {
        return (address, target, bytes) -> target.put(target.position(), memory, (int) address, bytes);
    }

    void add(int id, String uid, String name, int inputChannels, double rate) {
        devices.put(id, new FakeDevice(uid, name, inputChannels, rate, false));
        deviceListeners.forEach(Runnable::run);
    }

    void remove(int id) {
        devices.remove(id);
        deviceListeners.forEach(Runnable::run);
    }

    void setDefault(int id) {
        defaultDevice = id;
        defaultListeners.forEach(Runnable::run);
    }

    private FakeDevice device(int id) throws OSStatusException {
        FakeDevice d = devices.get(id);
        if (d == null || d.failing()) {
            throw new OSStatusException("AudioObjectGetPropertyData", FourCC.of("!obj"));
        }
        return d;
    }

    @Override
    public int[] deviceIds() {
        return devices.keySet().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String uid(int device) throws OSStatusException {
        return device(device).uid();
    }

    @Override
    public String name(int device) throws OSStatusException {
        return device(device).name();
    }

    @Override
    public int inputChannels(int device) throws OSStatusException {
        return device(device).inputChannels();
    }

    @Override
    public double nominalSampleRate(int device) throws OSStatusException {
        return device(device).rate();
    }

    @Override
    public int defaultInputDevice() {
        return defaultDevice;
    }

    @Override
    public AutoCloseable onDevicesChanged(Runnable listener) {
        deviceListeners.add(listener);
        return () -> deviceListeners.remove(listener);
    }

    @Override
    public AutoCloseable onDefaultInputChanged(Runnable listener) {
        defaultListeners.add(listener);
        return () -> defaultListeners.remove(listener);
    }

    @Override
    public InputQueue openInput(String uid, AudioFormat format, int buffers, int bufferFrames, InputHandler handler) {
        FakeQueue q = new FakeQueue(uid, handler);
        queues.add(q);
        return q;
    }
}
