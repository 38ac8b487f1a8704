package io.capstan.daemon.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The file queue {@code <runtime dir>/inbox/}: a writer writes {@code name.json.tmp} and renames
 * it to {@code name.json}; the daemon takes the {@code *.json} files in name order, writes the
 * reply to {@code name.result.json} (atomically) and renames the request to
 * {@code name.json.done}. A file that is not one JSON request (bad JSON, not an object, too big)
 * is moved to {@code inbox/bad/} with {@code name.error.json} beside it. Results also go to
 * the event stream ({@code capstan/input/RESULT}).
 *
 * <p>Threading: one thread {@code capstan-inbox} scans and handles, woken by the file system's
 * change notices (a {@link WatchService}; inotify on Linux) and at the latest every
 * {@code inboxPollMillis}; activation and deactivation from SCR.
 */
@Component(service = FileInbox.class, immediate = true, configurationPid = DaemonConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DaemonConfig.class)
public final class FileInbox {

    static final String RESULT_TOPIC = "capstan/input/RESULT";
    private static final System.Logger LOG = System.getLogger(FileInbox.class.getName());

    private final Path inbox;
    private final Path bad;
    private final Dispatcher dispatcher;
    private final EventJournal journal;
    private final long pollMillis;
    private final long maxBytes;
    private final Thread thread;
    private volatile boolean running = true;

    @Activate
    public FileInbox(DaemonConfig config, @Reference Dispatcher dispatcher, @Reference EventJournal journal)
            throws IOException {
        this.dispatcher = dispatcher;
        this.journal = journal;
        this.pollMillis = Math.max(10, config.inboxPollMillis());
        this.maxBytes = Math.max(1024, config.maxBodyBytes());
        this.inbox = RuntimeFiles.directory(config).resolve("inbox");
        this.bad = inbox.resolve("bad");
        for (Path d : List.of(inbox, bad)) {
            if (!Files.isDirectory(d)) {
                Files.createDirectories(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        }
        thread = new Thread(this::loop, "capstan-inbox");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Scans, then sleeps until the file system reports an entry created or renamed into the
     * inbox (inotify on Linux: no wake-up while nothing arrives), or until {@code pollMillis}
     * pass: a safety rescan for file systems that report nothing, such as one shared over NFS.
     */
    private void loop() {
        WatchService watcher = null;
        try {
            watcher = inbox.getFileSystem().newWatchService();
            inbox.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "inbox " + inbox + ": no change notices (" + e
                    + "); scanning every " + pollMillis + " ms");
            closeQuietly(watcher);
            watcher = null;
        }
        try {
            while (running) {
                try {
                    scanOnce();
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "inbox " + inbox + ": " + e);
                }
                if (watcher == null) {
                    Thread.sleep(pollMillis);
                    continue;
                }
                WatchKey key = watcher.poll(pollMillis, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents(); // which entries does not matter: the scan looks at them all
                    if (!key.reset()) {
                        LOG.log(System.Logger.Level.WARNING, "inbox " + inbox + " is gone; scanning every "
                                + pollMillis + " ms");
                        closeQuietly(watcher);
                        watcher = null;
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(watcher);
        }
    }

    private static void closeQuietly(WatchService watcher) {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the inbox watcher: " + e);
            }
        }
    }

    /** Handles every waiting request in name order. */
    void scanOnce() throws IOException {
        List<Path> requests = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox, "*.json")) {
            for (Path p : entries) {
                if (!p.getFileName().toString().endsWith(".result.json") && Files.isRegularFile(p)) {
                    requests.add(p);
                }
            }
        }
        requests.sort(null);
        for (Path p : requests) {
            if (!running) {
                return;
            }
            handle(p);
        }
    }

    private void handle(Path request) throws IOException {
        String name = request.getFileName().toString();
        String base = name.substring(0, name.length() - ".json".length());
        ObjectNode reply;
        if (Files.size(request) > maxBytes) {
            reply = Json.error(null, RequestException.BAD_REQUEST, "request file is larger than " + maxBytes + " bytes");
        } else {
            reply = dispatcher.handleText(Files.readString(request, StandardCharsets.UTF_8), "inbox");
        }
        String code = reply.path("error").path("code").asText("");
        if (code.equals(RequestException.BAD_JSON) || code.equals(RequestException.BAD_REQUEST)) {
            Files.move(request, bad.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            write(bad.resolve(base + ".error.json"), reply);
            LOG.log(System.Logger.Level.WARNING, "inbox: " + name + " moved to " + bad + ": "
                    + reply.path("error").path("message").asText());
        } else {
            write(inbox.resolve(base + ".result.json"), reply);
            Files.move(request, inbox.resolve(name + ".done"), StandardCopyOption.REPLACE_EXISTING);
        }
        ObjectNode data = Json.object();
        data.put("source", "inbox");
        data.put("file", name);
        data.set("reply", reply);
        journal.publish(RESULT_TOPIC, data);
    }

    private static void write(Path file, ObjectNode reply) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Json.line(reply) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5000);
    }
}
