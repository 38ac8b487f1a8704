package io.capstan.daemon.internal;

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
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

/** The daemon's real socket components on fake services, in a temporary runtime directory. */
final class Harness implements Closeable {

    final Path dir;
    final Fakes.Store store;
    final Fakes.Capture capture;
    final EventJournal journal;
    final DaemonState state = new DaemonState();
    final CommandHandler handler;
    final ControlServer server;

    Harness(Path dir, String allowedUser) throws IOException {
        this.dir = dir;
        DaemonConfig config = Fakes.config(dir, allowedUser);
        store = new Fakes.Store(dir.resolve("home"));
        capture = new Fakes.Capture(store);
        journal = new EventJournal(config, org.osgi.framework.FrameworkUtil.getBundle(EventJournal.class).getBundleContext());
        handler = new CommandHandler(config, new Fakes.Registry(), capture, store, journal, state);
        server = new ControlServer(config, handler, journal, state);
    }

    Harness(Path dir) throws IOException {
        this(dir, "");
    }

    Client client() throws IOException {
        return new Client(server.socket());
    }

    @Override
    public void close() {
        try {
            server.deactivate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            journal.deactivate();
        }
    }

    /** A test client: one persistent reader, lines in, lines out. */
    static final class Client implements Closeable {
        final SocketChannel channel;
        final BufferedReader in;
        final OutputStream out;

        Client(Path socket) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
            out = Channels.newOutputStream(channel);
        }

        void send(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        JsonNode read() throws IOException {
            String line = in.readLine();
            return line == null ? null : Json.MAPPER.readTree(line);
        }

        JsonNode call(String line) throws IOException {
            send(line);
            return read();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
