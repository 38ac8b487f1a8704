package io.capstan.daemon.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.transport.fifo.RuntimeDirectories;

/**
 * {@code <runtime dir>/control.fifo} (0600) for {@code echo '{…}' > control.fifo}. The daemon
 * opens it read-write ({@code O_RDWR}, which on Linux never blocks on a FIFO), so it holds a
 * reader and a writer for its whole life: a writer's open() never blocks, its write() never
 * gets SIGPIPE/EPIPE, and the reader never sees end-of-file between writers. One JSON object
 * per line (lines longer than the bound are dropped with an error); replies go to the event
 * stream ({@code capstan/input/RESULT}) and the log. At stop the FIFO is removed, so a writer
 * after that creates a plain file instead of hanging; the next daemon moves such a file aside.
 * After a crash (kill -9) the FIFO stays without a reader and a writer would wait in open():
 * writers that must never hang use {@code timeout 2 sh -c 'echo … > control.fifo'}.
 *
 * <p>Threading: one thread {@code capstan-control-fifo} reads and handles.
 */
@Component(service = ControlFifo.class, immediate = true, configurationPid = DaemonConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DaemonConfig.class)
public final class ControlFifo {

    static final String NAME = "control.fifo";
    private static final System.Logger LOG = System.getLogger(ControlFifo.class.getName());

    private final Path path;
    private final FileChannel channel;
    private final Dispatcher dispatcher;
    private final EventJournal journal;
    private final int maxLine;
    private final Thread thread;
    private volatile boolean running = true;

    @Activate
    public ControlFifo(DaemonConfig config, @Reference Dispatcher dispatcher, @Reference EventJournal journal)
            throws IOException {
        this.dispatcher = dispatcher;
        this.journal = journal;
        this.maxLine = Math.max(256, config.maxLineBytes());
        this.path = RuntimeFiles.directory(config).resolve(NAME);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) {
                Path aside = path.resolveSibling(NAME + ".written-while-stopped-" + System.currentTimeMillis());
                Files.move(path, aside);
                LOG.log(System.Logger.Level.WARNING, "someone wrote to " + path + " while no daemon ran (it was not a "
                        + "FIFO then); moved to " + aside + ", not executed");
            }
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            RuntimeDirectories.createFifo(path);
        }
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        thread = new Thread(this::loop, "capstan-control-fifo");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        ByteBuffer in = ByteBuffer.allocate(8192);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        try {
            while (running && channel.read(in) >= 0) {
                in.flip();
                while (in.hasRemaining()) {
                    byte b = in.get();
                    if (b != '\n') {
                        if (!tooLong) {
                            line.write(b);
                            tooLong = line.size() > maxLine;
                        }
                        continue;
                    }
                    if (tooLong) {
                        publish(Json.error(null, RequestException.LINE_TOO_LONG, "FIFO line longer than " + maxLine
                                + " bytes was dropped"));
                    } else if (line.size() > 0) {
                        String text = line.toString(StandardCharsets.UTF_8);
                        if (!text.isBlank()) {
                            publish(dispatcher.handleText(text, "fifo"));
                        }
                    }
                    line.reset();
                    tooLong = false;
                }
                in.clear();
            }
        } catch (IOException e) {
            if (running) {
                LOG.log(System.Logger.Level.WARNING, "reading " + path + " failed: " + e);
            }
        }
    }

    private void publish(ObjectNode reply) {
        ObjectNode data = Json.object();
        data.put("source", "fifo");
        data.set("reply", reply);
        journal.publish(FileInbox.RESULT_TOPIC, data);
        LOG.log(reply.path("ok").asBoolean() ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                "control.fifo: " + Json.line(reply));
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        running = false;
        try {
            Files.deleteIfExists(path);
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + path + ": " + e);
        }
        thread.join(2000);
    }
}
