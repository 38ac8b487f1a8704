package io.capstan.cli;

import java.io.BufferedReader;
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
 * {@link Transport} over the control socket {@code control.sock} in a runtime directory
 * ({@code $XDG_RUNTIME_DIR/capstan}), plain Java: JSON lines out, one buffered reader for
 * every line in. Threading: one reading thread; {@link #send} is synchronized.
 */
public final class SocketTransport implements Transport {

    /** How long {@link #opener} waits for a daemon that is starting (pid file, no socket yet). */
    static final long STARTING_WAIT_MILLIS = 10_000;
    static final ObjectMapper JSON = new ObjectMapper();

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;
    private final AtomicLong ids = new AtomicLong();

    private SocketTransport(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8),
                65536);
        this.out = Channels.newOutputStream(channel);
    }

    /**
     * @param dir the runtime directory holding {@code control.sock} and {@code daemon.pid}
     * @return an opener that connects there, or says why not: nothing runs
     *         ({@link Unavailable#notRunning()}), a crashed daemon left its files (also "not
     *         running": the next Capstan replaces them), or one runs and does not answer
     */
    public static Opener opener(Path dir) {
        return () -> open(dir);
    }

    static SocketTransport open(Path dir) throws Unavailable {
        Path socket = dir.resolve("control.sock");
        Path pidFile = dir.resolve("daemon.pid");
        long deadline = System.nanoTime() + STARTING_WAIT_MILLIS * 1_000_000L;
        OptionalLong pid = readPid(pidFile);
        while (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (pid.isEmpty()) {
                throw new Unavailable("no Capstan daemon is running; start one with: capstan daemon", true);
            }
            if (!alive(pid.getAsLong())) {
                throw stale(dir, pid);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new Unavailable("the daemon (pid " + pid.getAsLong() + ") has not opened " + socket + " within "
                        + STARTING_WAIT_MILLIS / 1000 + " s; see its log, or stop it with: kill " + pid.getAsLong(), false);
            }
            try {
                Thread.sleep(50); // starting: its socket appears within a second or two
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted while waiting for the daemon to start", false);
            }
            pid = readPid(pidFile);
        }
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new SocketTransport(channel);
        } catch (IOException e) {
            if (pid.isPresent() && alive(pid.getAsLong())) {
                throw new Unavailable("the daemon (pid " + pid.getAsLong() + ") does not answer on " + socket + " ("
                        + e.getMessage() + "); if it hangs, stop it with: kill " + pid.getAsLong(), false);
            }
            throw stale(dir, pid);
        }
    }

    private static Unavailable stale(Path dir, OptionalLong pid) {
        return new Unavailable("the daemon crashed or was killed" + (pid.isPresent() ? " (pid " + pid.getAsLong()
                + " is gone)" : "") + " and left stale files in " + dir + "; the next Capstan replaces them", true);
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

    @Override
    public synchronized long send(ObjectNode request) throws IOException {
        long id = ids.incrementAndGet();
        request.put("id", id);
        out.write((JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return id;
    }

    @Override
    public JsonNode next() throws IOException {
        String line = in.readLine();
        return line == null ? null : JSON.readTree(line);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
