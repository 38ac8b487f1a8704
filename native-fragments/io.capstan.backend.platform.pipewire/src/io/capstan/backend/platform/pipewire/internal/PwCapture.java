package io.capstan.backend.platform.pipewire.internal;

import static io.capstan.backend.platform.pipewire.internal.jna.PwAbi.*;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStatistics;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.FrameSink;
import io.capstan.backend.platform.Callbacks;
import io.capstan.backend.platform.NativeMemory;
import io.capstan.backend.platform.pipewire.internal.jna.LibPipeWire;
import io.capstan.backend.platform.pipewire.internal.jna.LibPipeWire.Stream;

/**
 * One take's {@code pw_stream}: {@code target.object} = the device, {@code DONT_RECONNECT} (a
 * vanished device ends the take instead of moving it to another microphone), real-time process
 * callback copying into a {@link PcmRing}, drained by the backend's {@link PwDrainer} thread, which
 * hands the ring's frames to the {@link FrameSink}, reports gaps, and ends the capture.
 *
 * <p>The process callback allocates nothing, takes no lock and logs nothing: JNA calls it through
 * a direct trampoline ({@link Callbacks#attachedDirect}: no argument boxing), it reads the buffer
 * through pre-made {@link Pointer}s re-pointed with {@link Pointer#nativeValue(Pointer, long)},
 * copies with a direct-mapped {@code memcpy}, updates plain fields published by ordered stores,
 * and records gaps into pre-allocated arrays.
 */
final class PwCapture implements CaptureStream {

    /** Gaps remembered between two drains; more are counted but not posted one by one. */
    private static final int GAP_SLOTS = 256;

    private final Device device;
    private final AudioFormat format;
    private final FrameSink sink;
    private final LibPipeWire.ThreadLoop loop;
    private final int bytesPerFrame;
    private final long firstDataTimeoutNanos;
    private final PcmRing ring;
    private final PwDrainer drainer;
    private final CountDownLatch endLatch = new CountDownLatch(1);
    private final ToIntFunction<ByteBuffer> toSink = this::toSink;
    private boolean sinkWantsMore; // drain thread only
    private long connectedAt;
    // Native objects and callbacks, strongly held until the stream is destroyed.
    private final Memory hook = NativeMemory.zeroed(SPA_HOOK_SIZE);
    private final Memory events = NativeMemory.zeroed(PW_STREAM_EVENTS_SIZE);
    private final Memory pod;
    private final Memory params = NativeMemory.zeroed(8);
    private final StreamProcess process = this::process;
    private final StreamStateChanged stateChanged = this::stateChanged;
    private final StreamIoChanged ioChanged = this::ioChanged;
    private Stream stream;
    private long streamAddress;

    // Real-time thread only.
    private final Pointer buffer = new Pointer(0);
    private final Pointer spaBuffer = new Pointer(0);
    private final Pointer spaData = new Pointer(0);
    private final Pointer chunk = new Pointer(0);
    private final Pointer position = new Pointer(0);
    private long nextClockPosition = -1;
    private long ringFrames;

    // Written by the real-time thread, read anywhere.
    private final AtomicLong callbacks = new AtomicLong();
    private final AtomicLong longestNanos = new AtomicLong();
    private final CallbackTimes callbackTimes = new CallbackTimes();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong overrunFrames = new AtomicLong();
    private final AtomicLong xruns = new AtomicLong();
    private final AtomicLong xrunFrames = new AtomicLong();
    private final long[] gapFrame = new long[GAP_SLOTS];
    private final long[] gapLength = new long[GAP_SLOTS];
    private final boolean[] gapIsXrun = new boolean[GAP_SLOTS];
    private final AtomicLong gapsWritten = new AtomicLong();
    private long gapsRead;

    private volatile long positionArea;
    private volatile boolean stopRequested;
    private volatile String goneReason;
    private volatile boolean ended;

    PwCapture(Device device, AudioFormat format, int[] positions, FrameSink sink, LibPipeWire.ThreadLoop loop,
            PwDrainer drainer, int ringMillis, long firstDataTimeoutMillis) {
        this.device = device;
        this.format = format;
        this.sink = sink;
        this.loop = loop;
        this.bytesPerFrame = format.bytesPerFrame();
        this.firstDataTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(firstDataTimeoutMillis);
        long ringBytes = Math.max(64 * 1024L, format.bytesPerSecond() * ringMillis / 1000);
        this.ring = new PcmRing((int) Math.min(ringBytes, 1 << 30), bytesPerFrame);
        byte[] bytes = FormatPod.enumFormat(format, positions);
        this.pod = new Memory(bytes.length);
        pod.write(0, bytes, 0, bytes.length);
        params.setPointer(0, pod);
        this.drainer = drainer;
    }

    /** Makes and connects the stream. Caller holds the loop lock. */
    void connect(LibPipeWire.Core core, int number) throws CaptureException {
        events.setInt(0, PW_VERSION_STREAM_EVENTS);
        events.setPointer(PW_STREAM_EVENTS_STATE_CHANGED, Callbacks.attached(stateChanged, "capstan-pw-loop"));
        events.setPointer(PW_STREAM_EVENTS_IO_CHANGED, Callbacks.attached(ioChanged, "capstan-pw-loop"));
        events.setLong(PW_STREAM_EVENTS_PROCESS, Callbacks.attachedDirect(process, "capstan-pw-data"));
        LibPipeWire.Properties props = LibPipeWire.pw_properties_new_string("");
        LibPipeWire.pw_properties_set(props, "media.type", "Audio");
        LibPipeWire.pw_properties_set(props, "media.category", "Capture");
        LibPipeWire.pw_properties_set(props, "media.role", "Production");
        LibPipeWire.pw_properties_set(props, "node.name", "capstan-take-" + number);
        LibPipeWire.pw_properties_set(props, "target.object", device.id());
        stream = LibPipeWire.pw_stream_new(core, "capstan-take-" + number, props);
        if (stream == null) {
            throw new CaptureException("PipeWire could not make a capture stream for " + device.id()
                    + " (pw_stream_new failed, errno " + com.sun.jna.Native.getLastError() + ")");
        }
        streamAddress = NativeMemory.address(stream.getPointer());
        LibPipeWire.pw_stream_add_listener(stream, hook, events, null);
        int flags = PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS | PW_STREAM_FLAG_RT_PROCESS
                | PW_STREAM_FLAG_DONT_RECONNECT;
        int res = LibPipeWire.pw_stream_connect(stream, PW_DIRECTION_INPUT, PW_ID_ANY, flags, params, 1);
        if (res < 0) {
            LibPipeWire.pw_stream_destroy(stream);
            stream = null;
            throw new CaptureException("PipeWire refused to connect a capture stream to " + device.id()
                    + " in " + format + " (pw_stream_connect: error " + (-res) + ")");
        }
        connectedAt = System.nanoTime();
        drainer.add(this);
    }

    // --- PipeWire threads ------------------------------------------------------------------

    /** Real-time thread: copy the buffer into the ring; count; nothing else. */
    private void process(long data) {
        long start = System.nanoTime();
        // Every buffer waiting, in order: one late cycle must not leave a backlog behind.
        long b;
        while ((b = LibPipeWire.pw_stream_dequeue_buffer(streamAddress)) != 0) {
            copy(b);
            LibPipeWire.pw_stream_queue_buffer(streamAddress, b);
        }
        // A jump of the graph clock between two cycles that delivered audio is an xrun; before the
        // first audio arrived, cycles without data are the stream starting, not a gap.
        long area = positionArea;
        if (area != 0 && ringFrames > 0) {
            Pointer.nativeValue(position, area);
            long pos = position.getLong(SPA_IO_POSITION_CLOCK_POSITION);
            long duration = position.getLong(SPA_IO_POSITION_CLOCK_DURATION);
            if (nextClockPosition >= 0 && pos > nextClockPosition) {
                long lost = pos - nextClockPosition;
                xruns.lazySet(xruns.get() + 1);
                xrunFrames.lazySet(xrunFrames.get() + lost);
                recordGap(ringFrames, lost, true);
            }
            nextClockPosition = pos + duration;
        }
        callbacks.lazySet(callbacks.get() + 1);
        long took = System.nanoTime() - start;
        callbackTimes.record(took);
        if (took > longestNanos.get()) {
            longestNanos.lazySet(took);
        }
    }

    /** Real-time thread: copies one {@code struct pw_buffer}'s first data plane into the ring. */
    private void copy(long b) {
        Pointer.nativeValue(buffer, b);
        Pointer.nativeValue(spaBuffer, buffer.getLong(PW_BUFFER_BUFFER));
        if (spaBuffer.getInt(SPA_BUFFER_N_DATAS) <= 0) {
            return;
        }
        Pointer.nativeValue(spaData, spaBuffer.getLong(SPA_BUFFER_DATAS));
        long base = spaData.getLong(SPA_DATA_DATA);
        long maxsize = spaData.getInt(SPA_DATA_MAXSIZE) & 0xffffffffL;
        Pointer.nativeValue(chunk, spaData.getLong(SPA_DATA_CHUNK));
        long offset = maxsize == 0 ? 0 : (chunk.getInt(SPA_CHUNK_OFFSET) & 0xffffffffL) % maxsize;
        long size = Math.min(chunk.getInt(SPA_CHUNK_SIZE) & 0xffffffffL, maxsize - offset);
        if (base == 0 || size <= 0) {
            return;
        }
        long dropped = ring.write(base + offset, size);
        long frames = size / bytesPerFrame;
        long lost = dropped / bytesPerFrame;
        if (lost > 0) {
            overruns.lazySet(overruns.get() + 1);
            overrunFrames.lazySet(overrunFrames.get() + lost);
            recordGap(ringFrames + frames - lost, lost, false);
        }
        ringFrames += frames - lost;
    }

    private void recordGap(long frame, long length, boolean xrun) {
        long n = gapsWritten.get();
        int slot = (int) (n % GAP_SLOTS);
        gapFrame[slot] = frame;
        gapLength[slot] = length;
        gapIsXrun[slot] = xrun;
        gapsWritten.lazySet(n + 1);
    }

    /** Loop thread. */
    private void stateChanged(Pointer data, int old, int state, String error) {
        if ((state == PW_STREAM_STATE_UNCONNECTED || state == PW_STREAM_STATE_ERROR) && !stopRequested) {
            deviceGone("the capture stream of " + device.id() + " was disconnected by PipeWire"
                    + (error == null ? " (the device went away)" : ": " + error));
        }
    }

    /** Loop thread. */
    private void ioChanged(Pointer data, int id, Pointer area, int size) {
        if (id == SPA_IO_POSITION) {
            positionArea = area == null ? 0 : NativeMemory.address(area);
        }
    }

    /** The device went away (stream disconnected, or its node was removed): end the take. */
    void deviceGone(String reason) {
        if (goneReason == null) {
            goneReason = reason;
        }
        drainer.wake();
    }

    Device device() {
        return device;
    }

    // --- drain thread (PwDrainer) ------------------------------------------------------------

    /**
     * One pass of the drain thread: hands what the ring holds to the sink, posts gaps, and ends
     * the capture once it was stopped, its device went, the sink is full, or no audio came in time.
     * Allocates nothing until the end.
     *
     * @return true when the capture has ended (the sink has been told)
     */
    boolean drainStep() {
        if (ended) {
            return true;
        }
        boolean sinkDone = !drainRing();
        postGaps();
        String failure = null;
        if (!(sinkDone || stopRequested || goneReason != null)) {
            if (callbacks.get() != 0 || System.nanoTime() - connectedAt <= firstDataTimeoutNanos) {
                return false;
            }
            failure = "no audio from " + device.id() + " within "
                    + TimeUnit.NANOSECONDS.toMillis(firstDataTimeoutNanos) + " ms (is the device running?)";
        }
        destroyStream();
        if (!sinkDone) {
            drainRing();
            postGaps();
        }
        String gone = goneReason;
        if (failure == null && gone != null && !stopRequested && !sinkDone) {
            failure = gone + " after " + ringFrames + " frames";
        }
        end(failure);
        return true;
    }

    /** The drain thread failed on this capture: end it with the reason, keeping what was stored. */
    void failed(Throwable e) {
        if (ended) {
            return;
        }
        try {
            destroyStream();
        } finally {
            end("storing the capture of " + device.id() + " failed: " + e);
        }
    }

    private void end(String failure) {
        ended = true;
        try {
            sink.end(failure == null ? null : new CaptureException(failure));
        } finally {
            endLatch.countDown();
        }
    }

    /** @return false when the sink wants no more frames */
    private boolean drainRing() {
        sinkWantsMore = true;
        ring.drain(toSink);
        return sinkWantsMore;
    }

    /** Drain thread: one slice of the ring into the sink. @return bytes it took */
    private int toSink(ByteBuffer slice) {
        if (!sinkWantsMore) {
            return 0;
        }
        int before = slice.position();
        sinkWantsMore = sink.write(slice);
        return slice.position() - before;
    }

    private void postGaps() {
        long written = gapsWritten.get();
        if (written - gapsRead > GAP_SLOTS) {
            gapsRead = written - GAP_SLOTS; // older slots were overwritten; the counters still hold them
        }
        for (; gapsRead < written; gapsRead++) {
            int slot = (int) (gapsRead % GAP_SLOTS);
            sink.gap(gapIsXrun[slot] ? FrameSink.XRUN : FrameSink.OVERRUN, gapFrame[slot], gapLength[slot]);
        }
    }

    private void destroyStream() {
        LibPipeWire.pw_thread_loop_lock(loop);
        try {
            if (stream != null) {
                LibPipeWire.pw_stream_destroy(stream);
                stream = null;
                positionArea = 0;
            }
        } finally {
            LibPipeWire.pw_thread_loop_unlock(loop);
        }
    }

    // --- CaptureStream ---------------------------------------------------------------------

    @Override
    public void stop() {
        stopRequested = true;
        drainer.wake();
    }

    /** Stops and waits for the end (the sink has been told). */
    void stopAndWait(long millis) throws InterruptedException {
        stop();
        endLatch.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits for the drain thread to end the capture (after {@link #deviceGone} or a stop). */
    void awaitEnd(long millis) {
        try {
            endLatch.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isEnded() {
        return ended;
    }

    @Override
    public CaptureStatistics statistics() {
        long longest = longestNanos.get();
        return new CaptureStatistics(callbacks.get(), longest, overruns.get(), overrunFrames.get(),
                xruns.get(), xrunFrames.get(), Math.min(callbackTimes.percentile(0.99), longest));
    }
}
