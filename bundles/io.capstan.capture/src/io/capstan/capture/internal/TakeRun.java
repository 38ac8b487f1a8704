package io.capstan.capture.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.capstan.api.ActiveTake;
import io.capstan.api.AudioFormat;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStatistics;
import io.capstan.api.CaptureStream;
import io.capstan.api.Device;
import io.capstan.api.FrameSink;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeStatistics;
import io.capstan.api.TakeWriter;

/**
 * One take being recorded: the {@link FrameSink} a backend writes into, enforcing the frame
 * limit exactly, and the {@link ActiveTake} handle callers hold.
 *
 * <p>Threading: {@link #write} and {@link #end} come from the backend's capture thread; the end
 * of the take (sealing the last chunk, the manifest, events) runs on {@code finisher}, never on
 * the capture thread.
 */
final class TakeRun implements ActiveTake, FrameSink {

    private final Device device;
    private final AudioFormat format;
    private final TakeWriter writer;
    private final long frameLimit;
    private final Executor finisher;
    private final Consumer<TakeRun> onEnd;
    private final CompletableFuture<Take> result = new CompletableFuture<>();
    private volatile TakeState state = TakeState.STARTING;
    private volatile CaptureStream stream;
    private volatile boolean stopRequested;
    private volatile StorageException storageFailure;
    private long accepted;
    private volatile TakeLevels meter;

    /** Told of a gap in a take's audio (overrun or xrun); called on the backend's delivery thread. */
    @FunctionalInterface
    interface GapListener {
        void gap(TakeRun run, String kind, long takeFrame, long frames);
    }

    private final GapListener onGap;
    private final AtomicLong overruns = new AtomicLong();
    private final AtomicLong overrunFrames = new AtomicLong();
    private final AtomicLong xruns = new AtomicLong();
    private final AtomicLong xrunFrames = new AtomicLong();

    TakeRun(Device device, AudioFormat format, TakeWriter writer, long frameLimit, Executor finisher,
            Consumer<TakeRun> onEnd) {
        this(device, format, writer, frameLimit, finisher, onEnd, (r, k, f, n) -> {
        });
    }

    TakeRun(Device device, AudioFormat format, TakeWriter writer, long frameLimit, Executor finisher,
            Consumer<TakeRun> onEnd, GapListener onGap) {
        this.onGap = onGap;
        this.device = device;
        this.format = format;
        this.writer = writer;
        this.frameLimit = frameLimit;
        this.finisher = finisher;
        this.onEnd = onEnd;
    }

    /** Turns level metering on (before the capture starts); the meter thread drains it. */
    void meter(TakeLevels m) {
        meter = m;
    }

    TakeLevels meter() {
        return meter;
    }

    /**
     * A take that nobody meters only stores its frames: the backend may batch them as it likes
     * (the PipeWire backend then drains every 170 ms instead of every 42 ms). A metered take
     * wants them live, so that its level events follow the audio.
     */
    @Override
    public long latencyNanos() {
        return meter == null ? ANY_LATENCY : LIVE_LATENCY_NANOS;
    }

    void started(CaptureStream s) {
        this.stream = s;
        if (state == TakeState.STARTING) {
            state = TakeState.RECORDING;
        }
        if (stopRequested) {
            s.stop();
        }
    }

    @Override
    public boolean write(ByteBuffer frames) {
        if (storageFailure != null || (frameLimit > 0 && accepted >= frameLimit)) {
            frames.position(frames.limit());
            return false;
        }
        int bpf = format.bytesPerFrame();
        long available = frames.remaining() / bpf;
        long take = frameLimit > 0 ? Math.min(available, frameLimit - accepted) : available;
        int bytes = (int) (take * bpf);
        int start = frames.position();
        int limit = frames.limit();
        // the writer reads up to a narrowed limit (no slice: nothing allocated per write)
        frames.limit(start + bytes);
        try {
            writer.write(frames);
        } catch (StorageException e) {
            storageFailure = e;
            frames.limit(limit).position(limit);
            return false;
        } finally {
            frames.limit(limit);
        }
        TakeLevels m = meter;
        if (m != null) {
            m.feed(frames, start, bytes);
        }
        frames.position(start + bytes);
        accepted += take;
        return frameLimit == 0 || accepted < frameLimit;
    }

    @Override
    public void gap(String kind, long takeFrame, long frames) {
        if (FrameSink.XRUN.equals(kind)) {
            xruns.incrementAndGet();
            xrunFrames.addAndGet(frames);
        } else {
            overruns.incrementAndGet();
            overrunFrames.addAndGet(frames);
        }
        onGap.gap(this, kind, takeFrame, frames);
    }

    @Override
    public TakeStatistics statistics() {
        CaptureStream s = stream;
        CaptureStatistics c = s == null ? CaptureStatistics.NONE : s.statistics();
        long frames = writer.frames();
        return new TakeStatistics(c.callbacks(), frames, frames * format.bytesPerFrame(), writer.chunksSealed(),
                Math.max(overruns.get(), c.overruns()), Math.max(overrunFrames.get(), c.overrunFrames()),
                Math.max(xruns.get(), c.xruns()), Math.max(xrunFrames.get(), c.xrunFrames()),
                c.longestCallbackNanos(), c.p99CallbackNanos());
    }

    @Override
    public void end(CaptureException failure) {
        state = TakeState.STOPPING;
        finisher.execute(() -> finish(failure));
    }

    private void finish(CaptureException failure) {
        boolean failed = failure != null || storageFailure != null;
        String reason;
        if (storageFailure != null) {
            reason = "storage failed: " + storageFailure.getMessage();
        } else if (failure != null) {
            reason = failure.getMessage();
        } else if (frameLimit > 0 && accepted >= frameLimit) {
            reason = "frame limit reached (" + frameLimit + " frames)";
        } else if (stopRequested) {
            reason = "stopped";
        } else if (frameLimit > 0) {
            reason = "source ended after " + accepted + " of " + frameLimit + " frames";
        } else {
            reason = "source ended";
        }
        try {
            Take take = writer.finish(failed ? TakeState.FAILED : TakeState.COMPLETE, reason, statistics());
            state = take.state();
            result.complete(take);
        } catch (StorageException | RuntimeException e) {
            state = TakeState.FAILED;
            result.completeExceptionally(e);
        } finally {
            onEnd.accept(this);
        }
    }

    /** Fails a take whose capture never started; the store keeps what it has. */
    void abort(String reason) {
        finisher.execute(() -> {
            storageFailure = null;
            try {
                result.complete(writer.finish(TakeState.FAILED, reason));
            } catch (StorageException | RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                state = TakeState.FAILED;
                onEnd.accept(this);
            }
        });
    }

    @Override
    public String id() {
        return writer.takeId();
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public AudioFormat format() {
        return format;
    }

    @Override
    public TakeState state() {
        return state;
    }

    @Override
    public long frames() {
        return writer.frames();
    }

    @Override
    public int chunks() {
        return writer.chunksSealed();
    }

    @Override
    public void stop() {
        stopRequested = true;
        CaptureStream s = stream;
        if (s != null) {
            s.stop();
        }
    }

    @Override
    public Take awaitEnd(Duration timeout) throws CaptureException, InterruptedException {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CaptureException("take " + id() + " did not end within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new CaptureException("take " + id() + " could not be finished: " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** @return the final take once ended */
    CompletableFuture<Take> result() {
        return result;
    }

}
