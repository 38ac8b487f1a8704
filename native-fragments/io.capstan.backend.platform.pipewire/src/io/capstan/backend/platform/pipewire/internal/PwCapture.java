package io.capstan.backend.platform.pipewire.internal;

import static io.capstan.backend.platform.pipewire.internal.jna.PwAbi.*;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
 * vanished device ends the take instead of moving it to another microphone), drained by the
 * backend's {@link PwDrainer} thread, which hands the stream's buffers to the {@link FrameSink},
 * reports gaps, and ends the capture.
 *
 * <p><b>No Capstan code runs on PipeWire's real-time thread.</b> The stream is connected with
 * {@code PW_STREAM_FLAG_RT_PROCESS} and no {@code process} callback, so on each graph cycle the
 * data thread only converts the device's audio into the next free buffer of the stream's pool
 * and queues it ({@code pw_stream.c}: {@code impl_node_process_input}). That pool, of one quantum
 * per buffer (32 buffers, 683 ms at a 1024-frame quantum and 48 kHz, while few streams run; 8,
 * 170 ms, when many do), is the ring between the real-time thread and storage. It is drained
 * every quarter of its length or, when it holds more than 453 ms, as seldom as still leaves a
 * pass 340 ms to be late ({@link #drainPeriod}); sooner when the sink wants its frames sooner
 * ({@link FrameSink#latencyNanos}: a level meter, 40 ms). The drain thread takes every queued buffer
 * ({@code pw_stream_dequeue_buffer}; the queues are single-producer single-consumer rings),
 * writes it straight into the take's mapped chunk, and gives it back
 * ({@code pw_stream_queue_buffer}). It holds the thread loop's lock meanwhile, so that PipeWire
 * cannot unmap the buffers under it (format changes and disconnects run on the loop thread).
 *
 * <p>Gaps: each pass reads the stream's time report ({@code pw_stream_get_time_n}: graph position
 * of the last queued buffer and how many wait) and {@link GapClock} compares where the batch
 * starts with where the previous one ended. A gap while the pool was empty of free buffers is an
 * overrun (the drain fell behind: nothing was free to capture into); otherwise an xrun (the graph
 * skipped cycles). Its position is the take frame at the start of the batch it was found in.
 *
 * <p>A drain pass allocates nothing once every buffer of the pool has been seen ({@link BufferViews}).
 */
final class PwCapture implements CaptureStream {

    private final Device device;
    private final AudioFormat format;
    private final FrameSink sink;
    private final Consumer<PwCapture> onEnd;
    private final LibPipeWire.ThreadLoop loop;
    private final long loopAddress;
    private final int bytesPerFrame;
    private final int poolBuffers;
    private final long firstDataTimeoutNanos;
    private final PwDrainer drainer;
    private final GapClock gapClock;
    private final CountDownLatch endLatch = new CountDownLatch(1);
    private long connectedAt;
    // Native objects and callbacks, strongly held until the stream is destroyed.
    private final Memory hook = NativeMemory.zeroed(SPA_HOOK_SIZE);
    private final Memory events = NativeMemory.zeroed(PW_STREAM_EVENTS_SIZE);
    private final Memory formatPod;
    private final Memory buffersPod;
    private final Memory params = NativeMemory.zeroed(16);
    private final StreamStateChanged stateChanged = this::stateChanged;
    private final StreamAddBuffer addBuffer = this::addBuffer;
    private Stream stream;
    private volatile long streamAddress;

    // Drain thread only.
    private final Memory time = NativeMemory.zeroed(PW_TIME_SIZE);
    private final long timeAddress = NativeMemory.address(time);
    private final Pointer buffer = new Pointer(0);
    private final Pointer spaBuffer = new Pointer(0);
    private final Pointer spaData = new Pointer(0);
    private final Pointer chunk = new Pointer(0);
    private final BufferViews views = new BufferViews();
    private boolean sinkWantsMore = true;
    private long takeFrames;

    // Written by the drain thread, read anywhere.
    private final AtomicLong buffers = new AtomicLong();
    private final AtomicInteger addedBuffers = new AtomicInteger();
    private final AtomicLong longestNanos = new AtomicLong();
    private final CallbackTimes deliveryTimes = new CallbackTimes();
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong overrunFrames = new AtomicLong();
    private final AtomicLong xruns = new AtomicLong();
    private final AtomicLong xrunFrames = new AtomicLong();
    /**
     * Pause between two drain passes that the pool survives with room to spare (see
     * maxIntervalNanos()); until the first buffer tells the quantum, short enough for any pool.
     */
    private volatile long maxIntervalNanos = FIRST_DATA_INTERVAL_NANOS;
    /** Drain period until a stream's first buffer arrives: the quantum is not known before. */
    private static final long FIRST_DATA_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * How late a drain pass may come, at least, before the pool is full and audio is lost: 340 ms.
     * That is twice what pw-record 0.3 tolerates (its pool of 8 quanta is taken every cycle).
     */
    static final long DRAIN_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(340);
    /** Shortest drain period whatever a sink asks for. */
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private volatile boolean stopRequested;
    private volatile String goneReason;
    private volatile boolean ended;

    /**
     * @param poolBuffers buffers the stream asks for (the converter of PipeWire 0.3 grants 1 to 32)
     * @param onEnd       told once the capture has ended, just before the sink
     */
    PwCapture(Device device, AudioFormat format, int[] positions, FrameSink sink, Consumer<PwCapture> onEnd,
            LibPipeWire.ThreadLoop loop, PwDrainer drainer, int poolBuffers, long firstDataTimeoutMillis) {
        this.device = device;
        this.format = format;
        this.sink = sink;
        this.onEnd = onEnd;
        this.loop = loop;
        this.loopAddress = NativeMemory.address(loop.getPointer());
        this.bytesPerFrame = format.bytesPerFrame();
        this.poolBuffers = poolBuffers;
        this.firstDataTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(firstDataTimeoutMillis);
        this.gapClock = new GapClock(format.sampleRate());
        this.formatPod = pod(FormatPod.enumFormat(format, positions));
        this.buffersPod = pod(FormatPod.buffers(poolBuffers));
        params.setPointer(0, formatPod);
        params.setPointer(8, buffersPod);
        this.drainer = drainer;
    }

    private static Memory pod(byte[] bytes) {
        Memory m = new Memory(bytes.length);
        m.write(0, bytes, 0, bytes.length);
        return m;
    }

    /** Makes and connects the stream. Caller holds the loop lock. */
    void connect(LibPipeWire.Core core, int number) throws CaptureException {
        events.setInt(0, PW_VERSION_STREAM_EVENTS);
        events.setPointer(PW_STREAM_EVENTS_STATE_CHANGED, Callbacks.attached(stateChanged, "capstan-pw-loop"));
        events.setPointer(PW_STREAM_EVENTS_ADD_BUFFER, Callbacks.attached(addBuffer, "capstan-pw-loop"));
        // no process callback: the data thread only fills the pool (see the class comment)
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
        int res = LibPipeWire.pw_stream_connect(stream, PW_DIRECTION_INPUT, PW_ID_ANY, flags, params, 2);
        if (res < 0) {
            LibPipeWire.pw_stream_destroy(stream);
            stream = null;
            streamAddress = 0;
            throw new CaptureException("PipeWire refused to connect a capture stream to " + device.id()
                    + " in " + format + " (pw_stream_connect: error " + (-res) + ")");
        }
        connectedAt = System.nanoTime();
        drainer.add(this);
    }

    /** Loop thread. */
    private void stateChanged(Pointer data, int old, int state, String error) {
        if ((state == PW_STREAM_STATE_UNCONNECTED || state == PW_STREAM_STATE_ERROR) && !stopRequested) {
            deviceGone("the capture stream of " + device.id() + " was disconnected by PipeWire"
                    + (error == null ? " (the device went away)" : ": " + error));
        }
    }

    /**
     * Loop thread: a buffer joined the pool. Its {@code size} (ours to set) becomes 1, so that the
     * stream's queue counters, which add up the sizes, count buffers: the time report then says
     * exactly how many buffers PipeWire had queued when it took its graph position.
     */
    private void addBuffer(Pointer data, Pointer pwBuffer) {
        pwBuffer.setLong(PW_BUFFER_SIZE, 1);
        addedBuffers.incrementAndGet();
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

    /**
     * Drain period for a pool that holds {@code poolNanos} of audio: a quarter of the pool (a pass
     * may come three quarters of it late), or, when that is longer, the pool less
     * {@link #DRAIN_SLACK_NANOS} (a pass may come that late). A deep pool of 32 quanta of
     * 1024 frames at 48 kHz (683 ms) is drained every 343 ms, a pool of 8 (170 ms) every 42 ms.
     * (Half of a pool of 8, with 256 takes running, lost audio: docs/BENCHMARKS.md.)
     *
     * @param poolNanos audio the stream's pool holds, ns
     * @return the longest pause between two passes for that pool, ns
     */
    static long drainPeriod(long poolNanos) {
        return Math.max(poolNanos / 4, poolNanos - DRAIN_SLACK_NANOS);
    }

    /**
     * @return how long the drain may wait between passes for this stream, ns: {@link #drainPeriod}
     *         of its pool, or less when its sink wants frames sooner ({@link FrameSink#latencyNanos})
     */
    long maxIntervalNanos() {
        return Math.min(maxIntervalNanos, Math.max(MIN_INTERVAL_NANOS, sink.latencyNanos())); // no busy drain
    }

    /** @return buffers PipeWire added to this stream's pool so far (its {@code add_buffer} events) */
    int poolBuffers() {
        return addedBuffers.get();
    }

    // --- drain thread (PwDrainer) ------------------------------------------------------------

    /**
     * One pass of the drain thread: hands the buffers PipeWire queued to the sink, posts gaps, and
     * ends the capture once it was stopped, its device went, the sink is full, or no audio came in
     * time. Allocates nothing until the end (once each pool buffer has its view).
     *
     * @return true when the capture has ended (the sink has been told)
     */
    boolean drainStep() {
        if (ended) {
            return true;
        }
        String failure = null;
        boolean sinkDone;
        LibPipeWire.pw_thread_loop_lock(loopAddress);
        try {
            sinkDone = !drainPool();
            if (!(sinkDone || stopRequested || goneReason != null)) {
                if (buffers.get() != 0 || System.nanoTime() - connectedAt <= firstDataTimeoutNanos) {
                    return false;
                }
                failure = "no audio from " + device.id() + " within "
                        + TimeUnit.NANOSECONDS.toMillis(firstDataTimeoutNanos) + " ms (is the device running?)";
            }
            destroyStream();
        } finally {
            LibPipeWire.pw_thread_loop_unlock(loopAddress);
        }
        String gone = goneReason;
        if (failure == null && gone != null && !stopRequested && !sinkDone) {
            failure = gone + " after " + takeFrames + " frames";
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
            LibPipeWire.pw_thread_loop_lock(loopAddress);
            try {
                destroyStream();
            } finally {
                LibPipeWire.pw_thread_loop_unlock(loopAddress);
            }
        } finally {
            end("storing the capture of " + device.id() + " failed: " + e);
        }
    }

    private void end(String failure) {
        ended = true;
        try {
            onEnd.accept(this);
            sink.end(failure == null ? null : new CaptureException(failure));
        } finally {
            endLatch.countDown();
        }
    }

    /**
     * Drain thread, loop lock held: takes the buffers queued up to the stream's time report, in
     * order, and checks the batch for a gap. @return false when the sink wants no more frames
     */
    private boolean drainPool() {
        long s = streamAddress;
        if (s == 0) {
            return sinkWantsMore;
        }
        LibPipeWire.pw_stream_get_time_n(s, timeAddress, PW_TIME_SIZE);
        long waiting = time.getLong(PW_TIME_QUEUED);
        long ticks = time.getLong(PW_TIME_TICKS);
        long graphRate = time.getInt(PW_TIME_RATE_DENOM) & 0xffffffffL;
        boolean poolWasFull = time.getInt(PW_TIME_QUEUED_BUFFERS) == 0;
        long batchStart = takeFrames;
        long batchFrames = 0;
        long lastFrames = 0;
        for (long i = 0; i < waiting; i++) {
            long b = LibPipeWire.pw_stream_dequeue_buffer(s);
            if (b == 0) {
                break;
            }
            long start = System.nanoTime();
            lastFrames = deliver(b);
            LibPipeWire.pw_stream_queue_buffer(s, b);
            long took = System.nanoTime() - start;
            batchFrames += lastFrames;
            buffers.lazySet(buffers.get() + 1);
            deliveryTimes.record(took);
            if (took > longestNanos.get()) {
                longestNanos.lazySet(took);
            }
        }
        if (lastFrames > 0 && graphRate > 0) {
            int granted = addedBuffers.get();
            int pool = granted > 0 ? Math.min(granted, poolBuffers) : poolBuffers;
            maxIntervalNanos = drainPeriod(TimeUnit.SECONDS.toNanos(1) * lastFrames * pool / format.sampleRate());
        }
        long missing = gapClock.batch(ticks, graphRate, batchFrames, lastFrames);
        if (missing > 0) {
            if (poolWasFull) {
                overruns.lazySet(overruns.get() + 1);
                overrunFrames.lazySet(overrunFrames.get() + missing);
            } else {
                xruns.lazySet(xruns.get() + 1);
                xrunFrames.lazySet(xrunFrames.get() + missing);
            }
            sink.gap(poolWasFull ? FrameSink.OVERRUN : FrameSink.XRUN, batchStart, missing);
        }
        return sinkWantsMore;
    }

    /**
     * Drain thread: hands one {@code struct pw_buffer}'s first data plane to the sink (while it
     * wants frames). @return whole frames the buffer held
     */
    private long deliver(long b) {
        Pointer.nativeValue(buffer, b);
        Pointer.nativeValue(spaBuffer, buffer.getLong(PW_BUFFER_BUFFER));
        if (spaBuffer.getInt(SPA_BUFFER_N_DATAS) <= 0) {
            return 0;
        }
        Pointer.nativeValue(spaData, spaBuffer.getLong(SPA_BUFFER_DATAS));
        long base = spaData.getLong(SPA_DATA_DATA);
        int maxsize = spaData.getInt(SPA_DATA_MAXSIZE);
        Pointer.nativeValue(chunk, spaData.getLong(SPA_DATA_CHUNK));
        int offset = maxsize <= 0 ? 0 : Integer.remainderUnsigned(chunk.getInt(SPA_CHUNK_OFFSET), maxsize);
        int size = (int) Math.min(chunk.getInt(SPA_CHUNK_SIZE) & 0xffffffffL, maxsize - offset);
        size -= size % bytesPerFrame;
        if (base == 0 || size <= 0) {
            return 0;
        }
        if (sinkWantsMore) {
            ByteBuffer view = views.view(base, maxsize);
            view.limit(offset + size).position(offset);
            sinkWantsMore = sink.write(view);
            takeFrames += (view.position() - offset) / bytesPerFrame;
        }
        return size / bytesPerFrame;
    }

    /** Loop lock held. */
    private void destroyStream() {
        if (stream != null) {
            LibPipeWire.pw_stream_destroy(stream);
            stream = null;
            streamAddress = 0;
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
        return new CaptureStatistics(buffers.get(), longest, overruns.get(), overrunFrames.get(),
                xruns.get(), xrunFrames.get(), Math.min(deliveryTimes.percentile(0.99), longest));
    }
}
