package io.capstan.daemon.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.capstan.api.CapstanEvents;
import io.capstan.transport.fifo.RuntimeDirectories;

/**
 * The daemon's control socket, event stream, file queue and FIFO inside another application
 * (the workstation), so that the CLI and scripts work against it: on when the framework
 * property {@value #PROPERTY} is {@code true}. Takes the same single-instance lock as
 * {@code capstan daemon}; when another Capstan holds it, this one serves nothing and says so.
 * A {@code stop} request seals running takes and posts {@link CapstanEvents#APP_STOP}, on which
 * the workstation closes.
 */
@Component(immediate = true)
public final class EmbeddedDaemon {

    /** Framework property that turns the embedded daemon on (the workstation product sets it). */
    static final String PROPERTY = "capstan.daemon.embedded";
    /** Framework property naming what serves, for {@code status} (default: workstation; the console sets console). */
    static final String MODE_PROPERTY = "capstan.daemon.mode";
    private static final System.Logger LOG = System.getLogger(EmbeddedDaemon.class.getName());

    private final Thread host;
    private volatile boolean closing;

    @Activate
    public EmbeddedDaemon(BundleContext bc) {
        if (!Boolean.parseBoolean(bc.getProperty(PROPERTY))) {
            host = null;
            return;
        }
        host = new Thread(() -> run(bc), "capstan-daemon-host");
        host.setDaemon(true);
        host.start();
    }

    private void run(BundleContext bc) {
        Path dir;
        InstanceLock lock;
        try {
            dir = RuntimeDirectories.prepare();
            lock = InstanceLock.acquire(dir);
        } catch (InstanceLock.HeldException e) {
            LOG.log(System.Logger.Level.WARNING, "the control socket is not served here: another Capstan "
                    + e.getMessage() + " serves it");
            return;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the control socket is not served: " + e.getMessage());
            return;
        }
        try (lock) {
            ConfigurationAdmin cm = DaemonApplication.service(bc, ConfigurationAdmin.class);
            Configuration config = DaemonApplication.configure(cm, bc.getProperty("felix.fileinstall.dir"), dir, 0,
                    bc.getProperty(MODE_PROPERTY) != null ? bc.getProperty(MODE_PROPERTY) : DaemonConfig.MODE_WORKSTATION);
            try {
                DaemonState state = DaemonApplication.service(bc, DaemonState.class);
                if (state == null) {
                    LOG.log(System.Logger.Level.WARNING, "the control socket did not start");
                    return;
                }
                LOG.log(System.Logger.Level.INFO, "serving the control socket in " + dir);
                while (!closing && !state.awaitStop(Duration.ofSeconds(1))) {
                    // serves until a stop request or deactivation
                }
                if (!closing) {
                    DaemonApplication.sealRunningTakes(bc);
                    EventAdmin events = DaemonApplication.service(bc, EventAdmin.class);
                    if (events != null) {
                        events.postEvent(new Event(CapstanEvents.APP_STOP, Map.of()));
                    }
                }
            } finally {
                config.delete();
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the control socket failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        closing = true;
        if (host != null) {
            host.join(Duration.ofSeconds(5));
        }
    }
}
