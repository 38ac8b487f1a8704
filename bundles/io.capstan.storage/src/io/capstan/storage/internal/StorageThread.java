package io.capstan.storage.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The storage thread of one take ({@code capstan-seal-<take>}): runs the take's recurring work
 * (seal the full chunks, prepare the next one) each time the writer {@link #signal}s, and
 * occasional {@link #submit}ted tasks (the first prepare, the last seal) in order with it.
 *
 * <p>A signal is an atomic flag and an unpark: it takes no lock and allocates nothing, so a
 * rotation on a capture thread never waits for the storage thread or allocates because the two
 * met at a lock (as an executor's queue does). Signals that come while the work runs fold into
 * one more run; the work takes everything queued each time.
 *
 * <p>Threading: {@link #signal} from the writer; {@link #submit}, {@link #shutdown} and
 * {@link #awaitTermination} from any thread. The thread is a daemon: unsealed data stays in
 * staging and is recovered, so it never holds the VM.
 */
final class StorageThread {

    private final Thread thread;
    private final Runnable work;
    private final Consumer<RuntimeException> onError;
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean stopping;
    private volatile boolean terminated;

    private record Task(Runnable body, CompletableFuture<Void> done) {

        void run() {
            try {
                body.run();
                done.complete(null);
            } catch (RuntimeException | Error e) {
                done.completeExceptionally(e);
            }
        }

        void reject(String thread) {
            done.completeExceptionally(new RejectedExecutionException("the storage thread " + thread + " stopped"));
        }
    }

    /**
     * Starts the thread.
     *
     * @param name    the thread's name
     * @param work    the recurring work; it handles its own failures
     * @param onError told of a runtime exception the work let escape (the thread goes on)
     */
    StorageThread(String name, Runnable work, Consumer<RuntimeException> onError) {
        this.work = work;
        this.onError = onError;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Asks for one more run of the work, after whatever it has been asked for so far. Lock-free
     * and allocation-free. A signal that races with {@link #shutdown} may find the thread gone;
     * what it was for stays in staging and is recovered at the next start.
     *
     * @return false when the thread is stopping (the work will not run again for this signal)
     */
    boolean signal() {
        if (stopping) {
            return false;
        }
        signalled.set(true);
        LockSupport.unpark(thread);
        return true;
    }

    /**
     * Runs {@code task} on the storage thread after the work signalled so far.
     *
     * @return completes when the task has run, exceptionally with what it threw
     * @throws RejectedExecutionException when the thread is stopping
     */
    CompletableFuture<Void> submit(Runnable task) {
        if (stopping) {
            throw new RejectedExecutionException("the storage thread " + thread.getName() + " is stopping");
        }
        Task t = new Task(task, new CompletableFuture<>());
        tasks.add(t);
        LockSupport.unpark(thread);
        if (terminated && tasks.remove(t)) {
            t.reject(thread.getName()); // came after the thread's last look at its tasks
        }
        return t.done();
    }

    /** Lets the thread end once the work signalled and the tasks submitted so far are done; later ones are refused. */
    void shutdown() {
        stopping = true;
        LockSupport.unpark(thread);
    }

    /** @return true when the thread ended within {@code timeout} (after {@link #shutdown}) */
    boolean awaitTermination(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    private void run() {
        while (true) {
            // The flag is tested here, not in runWork: the JIT compiles runWork with the whole
            // seal inlined (some 200 ms of C2), and a test in it that had always been true in a
            // take (a signal at every wake-up) turned false at the take's end, when its last task
            // ran unsignalled: the compiled code was thrown away (an unstable_if trap) and the
            // next take compiled it all again (docs/BENCHMARKS.md, seventh session).
            if (signalled.getAndSet(false)) {
                runWork();
            }
            for (Task task; (task = tasks.poll()) != null;) {
                if (signalled.getAndSet(false)) { // a task submitted after a signal runs after that work
                    runWork();
                }
                task.run();
            }
            if (!signalled.get() && tasks.isEmpty()) {
                if (stopping) {
                    if (!signalled.get() && tasks.isEmpty()) {
                        terminated = true;
                        for (Task late; (late = tasks.poll()) != null;) {
                            late.reject(thread.getName());
                        }
                        return;
                    }
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }

    private void runWork() {
        try {
            work.run();
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }
}
