package io.capstan.backend.platform.pipewire.internal;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread ({@code capstan-pw-drain}) that moves every running take's audio from its
 * stream's buffer pool into storage, every {@code interval} from the start of one pass to the
 * start of the next (at most 500 ms; what the shortest running pool allows, or what the most
 * hurried sink tolerates: {@link PwCapture#maxIntervalNanos}) or at once when a take is stopped
 * or its device goes; asleep while no take runs. With 1024-frame quanta at 48 kHz that is 343 ms
 * for a lone take (32 buffers), 42 ms when many run (8 buffers) and 40 ms while a level meter
 * watches. One thread for all takes: 128 takes cost 24 wake-ups a second, not 128 × 47 process
 * callbacks. On the 2-core build VM each wake-up costs about 100 µs of CPU whatever it moves, so
 * the thread's CPU follows the number of passes (docs/BENCHMARKS.md).
 *
 * <p>A pass allocates nothing: the takes are held in an array replaced on add and remove (copy on
 * write), walked by index.
 */
final class PwDrainer {

    private final long intervalNanos;
    private final Thread thread;
    private volatile PwCapture[] captures = new PwCapture[0];
    private volatile boolean stopped;

    PwDrainer(long intervalMillis) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.thread = new Thread(this::run, "capstan-pw-drain");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts draining {@code capture} (after its stream is connected). */
    synchronized void add(PwCapture capture) {
        PwCapture[] now = Arrays.copyOf(captures, captures.length + 1);
        now[now.length - 1] = capture;
        captures = now;
        wake();
    }

    private synchronized void remove(PwCapture capture) {
        captures = Arrays.stream(captures).filter(c -> c != capture).toArray(PwCapture[]::new);
    }

    /** Makes the next pass happen now (a take was stopped, or its device went away). */
    void wake() {
        LockSupport.unpark(thread);
    }

    /** Stops the thread; takes still running are not drained any more (end them first). */
    void stop() throws InterruptedException {
        stopped = true;
        wake();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void run() {
        raisePriority();
        while (!stopped) {
            passAndSleep();
        }
    }

    /** Nice value of the drain thread where the user may set it: that of pw-sandbox's feeders and of module-rt's threads. */
    static final int DRAIN_NICE = -10;
    private static final System.Logger LOG = System.getLogger(PwDrainer.class.getName());

    /**
     * Gives this thread nice {@value #DRAIN_NICE} ({@code setpriority(PRIO_PROCESS, 0, …)}, which on
     * Linux sets the calling thread only), so that the drain is not late behind ordinary work of
     * the same priority, e.g. a build or the feeders of a test sandbox. Where the user may not
     * (no CAP_SYS_NICE, RLIMIT_NICE too low) it stays at the default, said at DEBUG.
     */
    private static void raisePriority() {
        try {
            if (CLib.INSTANCE.setpriority(0, 0, DRAIN_NICE) != 0) {
                LOG.log(System.Logger.Level.DEBUG, "the drain runs at the default priority: setpriority failed, errno "
                        + com.sun.jna.Native.getLastError());
            }
        } catch (LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "the drain runs at the default priority: " + e);
        }
    }

    /** The C library's {@code setpriority(2)}. */
    private interface CLib extends com.sun.jna.Library {
        CLib INSTANCE = com.sun.jna.Native.load("c", CLib.class);

        int setpriority(int which, int who, int prio);
    }

    /**
     * One pass, then the sleep until the next. The loop in {@link #run} is entered once: taken 24
     * times a second it would need hours to reach on-stack replacement and stays interpreted, so
     * it does nothing but call this method, which the JIT compiles within seconds (perf showed
     * the interpreted loop at 15 %, then 11 % of the thread while it still timed and parked).
     */
    private void passAndSleep() {
        long start = System.nanoTime();
        long interval = pass();
        if (interval < 0) {
            LockSupport.park(this); // nothing to drain: sleep until add() or stop()
        } else {
            // from the start of this pass to the start of the next (a pass over many takes takes time)
            LockSupport.parkNanos(this, interval - (System.nanoTime() - start));
        }
    }

    /**
     * One pass over every take.
     *
     * @return how long to sleep before the next pass, ns; negative when no take runs
     */
    private long pass() {
        PwCapture[] now = captures;
        for (int i = 0; i < now.length; i++) {
            if (step(now[i])) {
                remove(now[i]);
            }
        }
        now = captures;
        if (now.length == 0) {
            return -1;
        }
        long interval = intervalNanos;
        for (int i = 0; i < now.length; i++) {
            interval = Math.min(interval, now[i].maxIntervalNanos());
        }
        return interval;
    }

    /** One take's pass; a failing take ends, the others go on. @return true when the take ended */
    private static boolean step(PwCapture capture) {
        try {
            return capture.drainStep();
        } catch (RuntimeException | Error e) {
            capture.failed(e);
            return true;
        }
    }
}
