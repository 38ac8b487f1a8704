package io.capstan.daemon.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * One client of the control socket: reads request lines (bounded), answers each with one reply
 * line, and after {@code subscribe} streams events on its own thread. Errors are answered, never
 * fatal: only the peer closing, an I/O error, or a peer of another user ends the connection.
 *
 * <p>Threading: {@link #run()} on the connection's thread; event lines from the subscriber
 * thread; writes are serialized on {@code writeLock}, so lines never interleave.
 */
final class Connection implements Runnable {

    static final String GAP_TOPIC = "capstan/stream/GAP";
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    private final SocketChannel channel;
    private final Dispatcher dispatcher;
    private final EventJournal journal;
    private final UserPrincipal allowed;
    private final int maxLine;
    private final String name;
    private final Object writeLock = new Object();
    private volatile Thread subscriber;
    /** Releases this subscriber's interest in level events (set when it asked for them). */
    private volatile Runnable levelsWanted;
    private volatile boolean closed;
    /** When the last progress line went out (connection thread only). */
    private long lastProgress;

    Connection(SocketChannel channel, Dispatcher dispatcher, EventJournal journal, UserPrincipal allowed, int maxLine,
            String name) {
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.journal = journal;
        this.allowed = allowed;
        this.maxLine = maxLine;
        this.name = name;
    }

    @Override
    public void run() {
        try {
            if (!peerAllowed()) {
                return;
            }
            readLoop();
        } catch (IOException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.DEBUG, name + " ended: " + e);
            }
        } finally {
            close();
        }
    }

    private boolean peerAllowed() throws IOException {
        UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (peer != null && allowed.equals(peer.user())) {
            return true;
        }
        String who = peer == null ? "unknown" : peer.user().getName();
        LOG.log(System.Logger.Level.WARNING, "refused a control connection of user " + who + " (only "
                + allowed.getName() + " may connect)");
        write(Json.line(Json.error(null, RequestException.NOT_PERMITTED, "only user " + allowed.getName()
                + ", who runs the daemon, may use its socket; you are " + who)));
        return false;
    }

    private void readLoop() throws IOException {
        ByteBuffer in = ByteBuffer.allocate(16384);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (channel.read(in) >= 0) {
            in.flip();
            byte[] a = in.array();
            int start = in.position();
            for (int i = in.position(); i < in.limit(); i++) {
                if (a[i] != '\n') {
                    continue;
                }
                if (!tooLong) {
                    line.write(a, start, i - start);
                    if (line.size() > maxLine) {
                        tooLong = true;
                    }
                }
                if (tooLong) {
                    write(Json.line(Json.error(null, RequestException.LINE_TOO_LONG, "request line longer than "
                            + maxLine + " bytes was dropped; send one JSON object per line")));
                } else {
                    request(line.toString(StandardCharsets.UTF_8));
                }
                line.reset();
                tooLong = false;
                start = i + 1;
            }
            if (!tooLong) {
                line.write(a, start, in.limit() - start);
                if (line.size() > maxLine) {
                    tooLong = true;
                    line.reset();
                }
            }
            in.clear();
        }
    }

    private void request(String text) throws IOException {
        if (text.isBlank()) {
            return;
        }
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            write(Json.line(dispatcher.handleText(text, "socket")));
            return;
        }
        if (request != null && request.isObject() && "subscribe".equals(request.path("cmd").asText(null))) {
            subscribe(request);
        } else {
            write(Json.line(request == null ? dispatcher.handleText(text, "socket")
                    : dispatcher.handle(request, "socket", this::progress)));
        }
    }

    private void subscribe(JsonNode request) throws IOException {
        JsonNode id = request.get("id");
        Args args = new Args(request, "subscribe");
        long since;
        String epoch;
        List<String> topics = new ArrayList<>();
        try {
            if (subscriber != null) {
                throw new RequestException(RequestException.ALREADY_SUBSCRIBED,
                        "this connection is subscribed already; open another connection for another filter");
            }
            Long s = args.optionalLong("since");
            epoch = args.optionalText("epoch");
            JsonNode t = args.raw("topics");
            if (t != null && !t.isNull()) {
                if (!t.isArray()) {
                    throw new RequestException(RequestException.BAD_ARGUMENT,
                            "\"topics\" must be an array of topic patterns, e.g. [\"capstan/take/*\"]");
                }
                for (JsonNode p : t) {
                    if (!p.isTextual() || p.asText().isBlank()) {
                        throw new RequestException(RequestException.BAD_ARGUMENT,
                                "\"topics\" must hold strings such as \"capstan/take/*\", was " + p);
                    }
                    topics.add(p.asText());
                }
            }
            long last = journal.last();
            boolean restarted = epoch != null && !epoch.equals(journal.epoch());
            if (s != null && s > last && !restarted) {
                throw new RequestException(RequestException.BAD_ARGUMENT, "\"since\" " + s
                        + " is beyond the last event " + last + " of this daemon; pass the \"epoch\" you got with it");
            }
            since = s == null ? last : restarted ? -1 : s;
        } catch (RequestException e) {
            write(Json.line(Json.error(id, e.code(), e.getMessage())));
            return;
        }
        ObjectNode result = Json.object();
        result.put("epoch", journal.epoch());
        result.put("last", journal.last());
        result.put("oldest", journal.oldest());
        EventJournal.Filter filter = topics.isEmpty() ? EventJournal.Filter.ALL : new EventJournal.Filter(topics);
        if (filter.wantsLevels()) {
            levelsWanted = journal.wantLevels(); // released by close()
        }
        synchronized (writeLock) {
            write(Json.line(Json.ok(id, result)));
            long start = since;
            if (since < 0) {
                ObjectNode data = Json.object();
                data.put("reason", "the daemon restarted; events of the earlier run are gone");
                data.put("epoch", journal.epoch());
                write(gap(data));
                start = 0;
            }
            long from = start;
            Thread t = new Thread(() -> stream(from, filter), name + "-events");
            t.setDaemon(true);
            subscriber = t;
            t.start();
        }
    }

    /**
     * Writes a progress line for a long request, at most ten a second (and the last); a failed
     * write means the client is gone, and the work is cancelled.
     */
    private boolean progress(JsonNode id, long done, long total) {
        long now = System.nanoTime();
        if (done < total && now - lastProgress < 100_000_000L) {
            return !closed;
        }
        lastProgress = now;
        ObjectNode line = Json.object();
        line.set("id", id);
        ObjectNode p = line.putObject("progress");
        p.put("done", done);
        p.put("total", total);
        try {
            write(Json.line(line));
            return true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, name + " left during a long request: " + e);
            return false;
        }
    }

    private static String gap(ObjectNode data) {
        ObjectNode g = Json.object();
        g.put("topic", GAP_TOPIC);
        g.put("time", Instant.now().toString());
        g.set("data", data);
        return Json.line(g);
    }

    private void stream(long after, EventJournal.Filter filter) {
        long cursor = after;
        StringBuilder out = new StringBuilder(8192);
        try {
            while (!closed) {
                EventJournal.Batch batch = journal.next(cursor, 1024, 1000);
                out.setLength(0);
                if (batch.missedAfter() >= 0) {
                    ObjectNode data = Json.object();
                    data.put("reason", "the daemon no longer holds these events");
                    data.put("after", batch.missedAfter());
                    data.put("missed", batch.missedCount());
                    out.append(gap(data)).append('\n');
                }
                for (EventJournal.Entry e : batch.entries()) {
                    cursor = e.seq();
                    if (filter.matches(e.topic())) {
                        out.append(e.line()).append('\n');
                    }
                }
                if (!out.isEmpty()) {
                    writeRaw(out.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, name + " subscriber gone: " + e);
        } finally {
            close();
        }
    }

    private void write(String line) throws IOException {
        writeRaw(line + "\n");
    }

    private void writeRaw(String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        synchronized (writeLock) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    /** Closes the socket; the reading and the subscriber thread end. Idempotent. */
    void close() {
        closed = true;
        Runnable levels = levelsWanted;
        if (levels != null) {
            levels.run();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, name + " close: " + e);
        }
        Thread t = subscriber;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
        }
    }
}
