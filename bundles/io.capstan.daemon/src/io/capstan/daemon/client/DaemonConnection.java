package io.capstan.daemon.client;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One connection to the daemon's control socket, in plain Java (no OSGi): requests go out as
 * JSON lines; one persistent buffered reader takes every line that comes back (replies, which
 * carry an id, and events, which carry a topic). Threading: one thread.
 */
final class DaemonConnection implements Closeable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Why there is no daemon to talk to. */
    static final class NotRunningException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean stale;

        NotRunningException(String message, boolean stale) {
            super(message);
            this.stale = stale;
        }

        /** @return true when a dead daemon left its files behind */
        boolean stale() {
            return stale;
        }
    }

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private final AtomicLong ids = new AtomicLong();

    private DaemonConnection(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8),
                65536);
        this.out = Channels.newOutputStream(channel);
    }

    /** Connects, or says why not: not running, or crashed leaving stale files (and what to do). */
    static DaemonConnection open(Path dir) throws NotRunningException {
        Path socket = dir.resolve("control.sock");
        Path pidFile = dir.resolve("daemon.pid");
        OptionalLong pid = readPid(pidFile);
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (pid.isPresent() && !alive(pid.getAsLong())) {
                throw stale(dir, pid);
            }
            if (pid.isPresent()) {
                throw new NotRunningException("the daemon (pid " + pid.getAsLong()
                        + ") is starting or stopping; try again in a moment", false);
            }
            throw new NotRunningException("the daemon is not running; start it with: ./capstan daemon", false);
        }
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new DaemonConnection(channel);
        } catch (IOException e) {
            if (pid.isPresent() && alive(pid.getAsLong())) {
                throw new NotRunningException("the daemon (pid " + pid.getAsLong() + ") does not answer on " + socket
                        + " (" + e.getMessage() + "); if it hangs, stop it with: kill " + pid.getAsLong(), false);
            }
            throw stale(dir, pid);
        }
    }

    private static NotRunningException stale(Path dir, OptionalLong pid) {
        return new NotRunningException("the daemon crashed or was killed" + (pid.isPresent() ? " (pid "
                + pid.getAsLong() + " is gone)" : "") + " and left stale files in " + dir
                + "; ./capstan daemon replaces them, or remove them with: rm -f " + dir.resolve("control.sock") + " "
                + dir.resolve("daemon.pid"), true);
    }

    private static OptionalLong readPid(Path pidFile) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Sends a request with a fresh id; returns the id. */
    long send(ObjectNode request) throws IOException {
        long id = ids.incrementAndGet();
        request.put("id", id);
        out.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return id;
    }

    /** @return the next line from the daemon, parsed; null at end of stream */
    JsonNode read() throws IOException {
        String line = in.readLine();
        return line == null ? null : JSON.readTree(line);
    }

    /** Sends a request and reads up to its reply (events that come first are given to {@code events}). */
    JsonNode call(ObjectNode request, java.util.function.Consumer<JsonNode> events) throws IOException {
        long id = send(request);
        while (true) {
            JsonNode line = read();
            if (line == null) {
                throw new IOException("the daemon closed the connection before it answered");
            }
            if (line.has("id") && line.get("id").asLong(-1) == id) {
                return line;
            }
            if (line.has("id") && line.get("id").isNull() && line.has("error")) {
                return line;
            }
            events.accept(line);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
