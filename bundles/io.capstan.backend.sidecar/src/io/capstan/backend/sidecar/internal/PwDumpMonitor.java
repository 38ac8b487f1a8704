package io.capstan.backend.sidecar.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

/**
 * Watches PipeWire for changes through one long-running {@code pw-dump --monitor} process, which
 * prints a JSON array whenever objects are added, changed or removed and nothing while the graph
 * is still: discovery costs nothing between hot-plugs (polling {@code pw-dump} every 2 s cost
 * about 0.3 % of a core, always). A burst of changes is answered by one {@code onChange} call on
 * {@code executor}, {@value #SETTLE_MILLIS} ms after its first array. When the process ends
 * (PipeWire stopped, pw-dump missing or killed) {@code onChange} is called too, so the owner sees
 * the problem, and the monitor starts again after {@code retryMillis}.
 *
 * <p>Threads: one reader ({@code capstan-sidecar-monitor}) blocked on the process's output.
 */
final class PwDumpMonitor {

    /** Wait after the first change of a burst before rereading, in ms. */
    static final long SETTLE_MILLIS = 50;

    private final Map<String, String> environment;
    private final Runnable onChange;
    private final ScheduledExecutorService executor;
    private final long retryMillis;
    private final JsonFactory json = new JsonFactory();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Thread reader;
    private volatile Process process;
    private volatile boolean stopped;

    /** @param environment added to pw-dump's environment (which PipeWire to reach); empty: inherited */
    PwDumpMonitor(Map<String, String> environment, Runnable onChange, ScheduledExecutorService executor,
            long retryMillis) {
        this.environment = Map.copyOf(environment);
        this.onChange = onChange;
        this.executor = executor;
        this.retryMillis = retryMillis;
        this.reader = new Thread(this::run, "capstan-sidecar-monitor");
        reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** Ends the pw-dump process and the reader thread. */
    void stop() throws InterruptedException {
        stopped = true;
        Process p = process;
        if (p != null) {
            p.destroy();
        }
        reader.interrupt();
        reader.join(TimeUnit.SECONDS.toMillis(5));
    }

    private void run() {
        while (!stopped) {
            Optional<Path> pwDump = Tools.which("pw-dump");
            if (pwDump.isPresent()) {
                watch(pwDump.get());
            }
            changed();
            try {
                Thread.sleep(retryMillis);
            } catch (InterruptedException e) {
                return; // stop()
            }
        }
    }

    /** Runs pw-dump --monitor until it ends; every top-level array it prints is a change. */
    private void watch(Path pwDump) {
        Process p;
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(pwDump.toString(), "--no-colors", "--monitor"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(environment);
            p = builder.start();
        } catch (IOException e) {
            return; // reported by the owner's next discovery
        }
        process = p;
        try (JsonParser parser = json.createParser(p.getInputStream())) {
            while (!stopped && parser.nextToken() != null) {
                parser.skipChildren();
                changed();
            }
        } catch (IOException e) {
            // the process ended or printed something that is not JSON: start it again
        } finally {
            p.destroy();
            process = null;
        }
    }

    private void changed() {
        if (stopped || !pending.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.schedule(() -> {
                pending.set(false);
                onChange.run();
            }, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.set(false); // deactivated
        }
    }
}
