package io.capstan.daemon.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.capstan.cli.Cli;
import io.capstan.cli.SocketTransport;
import io.capstan.transport.fifo.RuntimeDirectories;

/**
 * The product's default application ({@code io.capstan.daemon.cli}): runs one {@code capstan}
 * command when no daemon runs. It serves the control protocol itself for as long as the command
 * runs (the same components as {@code capstan daemon}, on the same runtime directory and
 * single-instance lock) and runs the command line of {@link Cli} against it, so every command
 * means exactly what it means with a daemon; meanwhile other clients reach it too ({@code
 * capstan stop-take} from another terminal ends an open-ended {@code record}). When a daemon
 * started meanwhile holds the lock, the command runs against that one.
 */
public final class CliApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS,
                new String[0]);
        context.applicationRunning();
        Path dir;
        try {
            dir = RuntimeDirectories.prepare();
        } catch (IOException e) {
            System.err.println("capstan: " + e.getMessage());
            return Cli.FAILED;
        }
        InstanceLock lock;
        try {
            lock = InstanceLock.acquire(dir);
        } catch (InstanceLock.HeldException e) {
            // a daemon started since the client looked: the command goes to it
            return Cli.run(args, SocketTransport.opener(dir), true, System.out, System.err);
        }
        try (lock) {
            BundleContext bc = FrameworkUtil.getBundle(getClass()).getBundleContext();
            ConfigurationAdmin cm = DaemonApplication.service(bc, ConfigurationAdmin.class);
            if (cm == null) {
                System.err.println("capstan: the configuration service did not start; run with CAPSTAN_DEBUG=1 to see why");
                return Cli.UNAVAILABLE;
            }
            Configuration config = DaemonApplication.configure(cm, bc.getProperty("felix.fileinstall.dir"), dir, 0,
                    DaemonConfig.MODE_COMMAND);
            try {
                ControlServer server = DaemonApplication.controlServer(bc, dir);
                if (server == null) {
                    System.err.println("capstan: Capstan's services did not start within "
                            + DaemonApplication.START_WAIT.toSeconds() + " s; run './capstan console' and 'scr:list' to "
                            + "see which component is unsatisfied");
                    return Cli.UNAVAILABLE;
                }
                int status = Cli.run(args, SocketTransport.opener(dir), true, System.out, System.err);
                awaitOtherClients(bc, server);
                return status;
            } finally {
                DaemonApplication.sealRunningTakes(bc); // what another client left running, if it went away
                config.delete();
            }
        }
    }

    /**
     * Other clients that reached this product while its command ran (another {@code ./capstan}
     * started meanwhile found its socket) are served to their end: it stops once none is connected
     * and no take records, so that it never ends a take or a request of theirs.
     */
    private static void awaitOtherClients(BundleContext bc, ControlServer server) throws InterruptedException {
        io.capstan.api.CaptureService capture = DaemonApplication.service(bc, io.capstan.api.CaptureService.class);
        boolean said = false;
        long grace = System.nanoTime() + 500_000_000L; // this command's own connections close meanwhile
        while (server.connections() > 0 || capture != null && !capture.active().isEmpty()) {
            if (!said && System.nanoTime() - grace > 0) {
                said = true;
                System.err.println("capstan: another capstan command started while no daemon ran reached this one; "
                        + "it goes on until that one ends (its takes: capstan status)");
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void stop() {
        // the command runs to its end (Ctrl-C and TERM end it through its own handlers)
    }
}
