package io.capstan.backend.sidecar.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Watches PipeWire for changes through one long-running {@code pw-dump --monitor} process, which
 * prints a JSON array whenever objects are added, changed or removed and nothing while the graph
 * is still. Arrays that touch capture nodes or metadata count as changes: discovery costs nothing
 * between hot-plugs (polling {@code pw-dump} every 2 s cost about 0.3 % of a core, always). A burst of changes is answered by one {@code onChange} call on
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
    private static final String NODE = "PipeWire:Interface:Node";
    private static final String METADATA = "PipeWire:Interface:Metadata";

    private final ObjectMapper mapper = new ObjectMapper();
    /** Ids of the nodes and metadata objects seen (reader thread only). */
    private final Set<Integer> watched = new HashSet<>();
    /** Ids of the other nodes seen (streams, sinks): their updates are not changes (reader thread only). */
    private final Set<Integer> streams = new HashSet<>();
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

    /** @return whether pw-dump --monitor is running (connected to PipeWire), so changes will be told */
    boolean watching() {
        return process != null;
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
        watched.clear();
        streams.clear();
        try (JsonParser parser = mapper.createParser(p.getInputStream())) {
            while (!stopped && parser.nextToken() != null) {
                if (concernsDevices(mapper.readTree(parser))) {
                    changed();
                }
            }
        } catch (IOException e) {
            // the process ended or printed something that is not JSON: start it again
        } finally {
            p.destroy();
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /**
     * Whether a printed array adds, changes or removes a capture node or a metadata object (the
     * devices and the graph's settings). Streams, clients, modules, ports and links are ignored: every one-shot
     * {@code pw-dump} the owner runs is itself a client coming and going, and reacting to it would
     * loop.
     */
    boolean concernsDevices(JsonNode array) {
        boolean concerns = false;
        for (JsonNode object : array) {
            int id = object.path("id").asInt(-1);
            String type = object.path("type").asText("");
            if (object.path("info").isNull() && !object.has("metadata")) {
                concerns |= watched.remove(id); // removed: a device or settings object, or not ours
                streams.remove(id);
            } else if (type.equals(METADATA) || (type.equals(NODE) && isSource(id, object))) {
                watched.add(id);
                concerns = true;
            }
        }
        return concerns;
    }

    /**
     * Whether a node is (or may be) a capture device: its {@code media.class} starts with
     * {@code Audio/Source}. Updates that do not print the class keep what the node was first seen
     * as. Streams (every capture, Capstan's own included) are not devices: 128 takes starting
     * must not make discovery reread the graph 128 times.
     */
    private boolean isSource(int id, JsonNode node) {
        JsonNode mediaClass = node.path("info").path("props").path("media.class");
        if (mediaClass.isMissingNode()) {
            return !streams.contains(id);
        }
        if (mediaClass.asText("").startsWith("Audio/Source")) {
            return true;
        }
        streams.add(id);
        return false;
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
