package io.capstan.transport.fifo.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import io.capstan.api.CaptureException;
import io.capstan.api.CaptureStream;
import io.capstan.api.FrameSink;
import io.capstan.transport.fifo.SidecarSpec;
import io.capstan.transport.fifo.internal.jna.LibC;

/**
 * Reads one FIFO on its own thread ({@code capstan-fifo-<name>}) and delivers whole frames to the
 * sink; owns the sidecar's lifecycle from spawn to exit, and the FIFO until it is unlinked.
 *
 * <p>The loop waits in {@code poll} for at most {@value #SLICE_MILLIS} ms at a time and reads
 * only after the sink returned, so nothing blocks indefinitely and a slow sink makes the sidecar
 * wait in write(). End of data: {@code read} returns 0 once a writer had connected (POLLIN or
 * POLLHUP seen) or once the process has exited; Linux returns 0 also before the first writer,
 * which is not an end.
 *
 * <p>Threading: {@link #stop()} and {@link #isEnded()} from any thread; everything else on the
 * reader thread.
 */
final class FifoReader implements CaptureStream {

    static final int SLICE_MILLIS = 100;
    /** Read buffer size, rounded down to whole frames. */
    static final int BUFFER_BYTES = 64 * 1024;
    /** After the sidecar exited: how long to wait for the end of data (a child may hold it). */
    private static final Duration EXIT_DRAIN_LIMIT = Duration.ofSeconds(1);
    /** After the end of data: how long the sidecar may take to exit by itself. */
    private static final Duration EOF_EXIT_GRACE = Duration.ofSeconds(1);
    /** After SIGKILL: how long to still drain and wait. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(1);
    private static final Duration STDERR_WAIT = Duration.ofMillis(500);
    private static final System.Logger LOG = System.getLogger(FifoReader.class.getName());

    private final SidecarSpec spec;
    private final FrameSink sink;
    private final Fifo fifo;
    private final SidecarProcess process;
    private final Duration firstDataTimeout;
    private final Duration stopTimeout;
    private final Consumer<FifoReader> onEnd;
    private final int frameBytes;
    private final ByteBuffer buffer;
    /** Independent position and limit over {@link #buffer}, handed to the sink. */
    private final ByteBuffer view;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final CountDownLatch endLatch = new CountDownLatch(1);

    private volatile long termSentAt;
    private volatile boolean terminating;
    private volatile boolean ended;

    // reader thread only
    private boolean forced;
    private long forcedAt;
    private boolean sinkOpen = true;
    private CaptureException sinkFailure;
    private long bytesRead;
    /** System.nanoTime() of the last read that returned data. */
    private long lastDataAt;
    private long bytesDelivered;
    private long bytesDiscarded;

    FifoReader(SidecarSpec spec, FrameSink sink, Fifo fifo, SidecarProcess process, Duration firstDataTimeout,
            Duration stopTimeout, Consumer<FifoReader> onEnd) {
        this.spec = spec;
        this.sink = sink;
        this.fifo = fifo;
        this.process = process;
        this.firstDataTimeout = firstDataTimeout;
        this.stopTimeout = stopTimeout;
        this.onEnd = onEnd;
        this.frameBytes = spec.bytesPerFrame();
        this.buffer = ByteBuffer.allocateDirect(frameBytes * Math.max(1, BUFFER_BYTES / frameBytes));
        this.view = buffer.duplicate();
    }

    /** Starts the reader thread; the spawn time is the start of the first-data timeout. */
    void startThread() {
        Thread.ofPlatform().name("capstan-fifo-" + spec.name()).daemon(true).start(this::run);
    }

    @Override
    public void stop() {
        requestStop();
    }

    @Override
    public boolean isEnded() {
        return ended;
    }

    /** Waits up to {@code timeout} for the end; true when ended. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return endLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** SIGTERM once; the reader goes on draining to the end of data. */
    private void requestStop() {
        if (ended || !stopRequested.compareAndSet(false, true)) {
            return;
        }
        termSentAt = System.nanoTime();
        terminating = true;
        process.terminate();
    }

    private void run() {
        CaptureException failure = null;
        try {
            failure = pump();
        } catch (IOException e) {
            failure = new CaptureException("reading sidecar " + spec.name() + " failed: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            failure = new CaptureException("reader of sidecar " + spec.name() + " failed: " + e, e);
        } finally {
            finish(failure);
        }
    }

    /** @return the failure that ended reading, or null at the end of data */
    private CaptureException pump() throws IOException {
        long started = System.nanoTime();
        long exitSeenAt = 0;
        boolean exitSeen = false;
        boolean writerSeen = false;
        while (true) {
            long now = System.nanoTime();
            if (terminating && !forced && now - termSentAt > stopTimeout.toNanos()) {
                process.kill(); // no end of data within the stop timeout
                forced = true;
                forcedAt = now;
            }
            if (forced && now - forcedAt > AFTER_KILL.toNanos()) {
                return null;
            }
            if (bytesRead == 0 && !terminating && now - started > firstDataTimeout.toNanos()) {
                process.kill();
                forced = true;
                return new CaptureException("no data from " + spec.name() + " within " + format(firstDataTimeout)
                        + "; the sidecar was killed. Command: " + process.commandLine());
            }
            if (bytesRead > 0 && !terminating && sinkOpen && process.isAlive()
                    && now - lastDataAt > firstDataTimeout.toNanos()) {
                process.kill(); // alive, but hung: what it delivered is kept
                forced = true;
                return new CaptureException("sidecar " + spec.name() + " stopped delivering data: nothing for "
                        + format(firstDataTimeout) + " after " + bytesRead + " bytes, although it still ran; it was"
                        + " killed. Command: " + process.commandLine());
            }
            boolean exited = !process.isAlive();
            if (exited && !exitSeen) {
                exitSeen = true;
                exitSeenAt = now;
            } else if (exited && now - exitSeenAt > EXIT_DRAIN_LIMIT.toNanos()) {
                return null; // a child of the sidecar still holds the write end
            }
            int revents = fifo.poll(SLICE_MILLIS);
            if ((revents & (LibC.POLLIN | LibC.POLLHUP)) != 0) {
                writerSeen = true;
            } else if ((revents & (LibC.POLLERR | LibC.POLLNVAL)) != 0) {
                throw new IOException("poll on " + fifo.path() + " reported events 0x" + Integer.toHexString(revents));
            }
            if (revents == 0 && !exited) {
                continue;
            }
            int n = fifo.read(buffer);
            if (n > 0) {
                bytesRead += n;
                deliverWholeFrames();
                lastDataAt = System.nanoTime(); // after the sink: a slow sink is not a silent sidecar
            } else if (n == 0 && (writerSeen || exited)) {
                return null;
            }
        }
    }

    /** Hands the whole frames in the buffer to the sink and keeps a partial frame for later. */
    private void deliverWholeFrames() {
        int total = buffer.position();
        int whole = total - total % frameBytes;
        if (whole == 0) {
            return;
        }
        if (sinkOpen) {
            offer(whole);
        } else {
            bytesDiscarded += whole;
        }
        buffer.limit(total).position(whole);
        buffer.compact(); // partial frame to the front; position after it, limit at capacity
    }

    private void offer(int whole) {
        view.limit(whole).position(0);
        long stalledSince = 0;
        while (view.hasRemaining()) {
            int before = view.position();
            boolean more;
            try {
                more = sink.write(view);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                sinkFailure = new CaptureException("the sink of sidecar " + spec.name() + " failed: " + e, e);
                closeSink();
                return;
            }
            int taken = view.position() - before;
            bytesDelivered += taken;
            if (!more) {
                closeSink(); // the sink wants no more frames: stop and drain
                return;
            }
            long now = System.nanoTime();
            if (taken > 0) {
                stalledSince = 0;
            } else if (stalledSince == 0) {
                stalledSince = now;
            } else if (now - stalledSince > stopTimeout.toNanos()) {
                sinkFailure = new CaptureException("the sink of sidecar " + spec.name() + " took no frames for "
                        + format(stopTimeout) + " although it asked for more");
                closeSink();
                return;
            } else {
                LockSupport.parkNanos(1_000_000L); // the sink is busy: keep the writer waiting
            }
        }
    }

    private void closeSink() {
        sinkOpen = false;
        bytesDiscarded += view.remaining();
        requestStop();
    }

    /** Ends the process, closes and unlinks the FIFO, then calls sink.end exactly once. */
    private void finish(CaptureException failure) {
        CaptureException reason = failure;
        try {
            settleProcess(failure != null);
            reason = endReason(failure);
        } catch (RuntimeException e) {
            reason = reason != null ? reason
                    : new CaptureException("ending sidecar " + spec.name() + " failed: " + e, e);
        } finally {
            try {
                fifo.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot close or remove " + fifo.path(), e);
            }
            ended = true;
            try {
                sink.end(reason);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "sink of sidecar " + spec.name() + " failed in end()", e);
            } finally {
                onEnd.accept(this);
                endLatch.countDown();
            }
        }
    }

    /** Makes sure the sidecar has exited: grace, then SIGTERM, then SIGKILL. */
    private void settleProcess(boolean failing) {
        if (process.isAlive() && !failing && !terminating) {
            process.awaitExit(EOF_EXIT_GRACE); // it closed its output: let it exit by itself
        }
        if (process.isAlive() && !forced) {
            requestStop();
            long left = stopTimeout.toNanos() - (System.nanoTime() - termSentAt);
            process.awaitExit(Duration.ofNanos(Math.max(0, left)));
        }
        if (process.isAlive()) {
            process.kill();
            forced = true;
            process.awaitExit(AFTER_KILL);
        }
    }

    private CaptureException endReason(CaptureException failure) {
        Integer status = process.exitStatus();
        List<String> tail = process.stderrTail(STDERR_WAIT);
        String stderr = tail.isEmpty() ? "" : "; last lines of its standard error:\n  " + String.join("\n  ", tail);
        CaptureException first = failure != null ? failure : sinkFailure;
        if (first != null) {
            return new CaptureException(first.getMessage() + stderr, first.getCause());
        }
        StringBuilder problem = new StringBuilder();
        boolean stoppedByUs = terminating || forced;
        if (status == null) {
            problem.append("did not exit even after SIGKILL");
        } else if (status != 0 && !stoppedByUs) {
            // Once we asked the sidecar to stop, its exit status is not a failure: pw-record
            // (PipeWire 0.3.65), for one, exits with status 1 on SIGTERM. What it wrote was read.
            problem.append("exited with ").append(SidecarProcess.describeStatus(status));
        }
        int partial = buffer.position();
        if (partial > 0 && sinkOpen) {
            problem.append(problem.isEmpty() ? "" : " and ").append("ended inside a frame: ").append(partial)
                    .append(partial == 1 ? " byte" : " bytes").append(" of an incomplete frame (").append(frameBytes)
                    .append(" bytes per frame) could not be delivered");
        }
        if (problem.isEmpty()) {
            return null;
        }
        return new CaptureException("sidecar " + spec.name() + " " + problem + " after delivering " + bytesDelivered
                + " bytes; command: " + process.commandLine() + stderr);
    }

    /** @return e.g. "5 s" or "300 ms" */
    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    @Override
    public String toString() {
        return "FIFO reader of " + process + " (" + bytesRead + " bytes read, " + bytesDelivered + " delivered, "
                + bytesDiscarded + " discarded after the sink declined)";
    }
}
