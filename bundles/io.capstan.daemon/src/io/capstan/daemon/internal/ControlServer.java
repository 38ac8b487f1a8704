package io.capstan.daemon.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The control socket {@code <runtime dir>/control.sock} (0600): accepts clients on
 * {@code capstan-control-accept}, one thread {@code capstan-control-N} per client. A socket file
 * left by a dead daemon is replaced; a live one (it answers a connect) makes activation fail.
 *
 * <p>Threading: activation and deactivation from SCR; everything else on the named threads.
 */
@Component(service = ControlServer.class, immediate = true, configurationPid = DaemonConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = DaemonConfig.class)
public final class ControlServer {

    static final String SOCKET = "control.sock";
    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

    private final Path socket;
    private final ServerSocketChannel server;
    private final Dispatcher dispatcher;
    private final EventJournal journal;
    private final UserPrincipal allowed;
    private final int maxLine;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger counter = new AtomicInteger();
    private final Thread acceptor;

    @Activate
    public ControlServer(DaemonConfig config, @Reference Dispatcher dispatcher, @Reference EventJournal journal,
            @Reference DaemonState state) throws IOException {
        this.dispatcher = dispatcher;
        this.journal = journal;
        this.maxLine = Math.max(256, config.maxLineBytes());
        Path dir = RuntimeFiles.directory(config);
        this.socket = dir.resolve(SOCKET);
        replaceStale(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket), 64);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            allowed = config.allowedUser().isEmpty() ? Files.getOwner(socket)
                    : socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(config.allowedUser());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        state.socket(socket.toString());
        acceptor = new Thread(this::accept, "capstan-control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.log(System.Logger.Level.DEBUG, "control socket " + socket);
    }

    /** A socket file nobody answers on is stale: removed. One that answers belongs to a live daemon. */
    static void replaceStale(Path socket) throws IOException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            throw new IOException("a daemon already serves " + socket + "; stop it with ./capstan stop");
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("a daemon already")) {
                throw e;
            }
            LOG.log(System.Logger.Level.DEBUG, "replacing stale socket " + socket + " (" + e.getMessage() + ")");
            Files.deleteIfExists(socket);
        }
    }

    Path socket() {
        return socket;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Connection c = new Connection(client, dispatcher, journal, allowed, maxLine,
                        "capstan-control-" + counter.incrementAndGet());
                connections.add(c);
                Thread t = new Thread(() -> {
                    try {
                        c.run();
                    } finally {
                        connections.remove(c);
                    }
                }, "capstan-control-" + counter.get());
                t.setDaemon(true);
                t.start();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "accept on " + socket + " failed: " + e);
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + socket + ": " + e);
        }
        connections.forEach(Connection::close);
        acceptor.join(2000);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove " + socket + ": " + e);
        }
    }

    /** @return the clients connected now */
    int connections() {
        return connections.size();
    }
}
