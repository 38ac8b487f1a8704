package io.capstan.daemon.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import io.capstan.api.ActiveTake;
import io.capstan.api.CaptureService;
import io.capstan.transport.fifo.RuntimeDirectories;

/**
 * {@code ./capstan daemon [--http PORT]} (application {@code io.capstan.daemon.run}): takes the
 * single-instance lock, writes the pid file, turns the daemon components on through their
 * configuration, and runs until {@code stop} (or SIGTERM); then stops and seals running takes,
 * turns the components off (socket removed), removes the pid file and releases the lock.
 */
public final class DaemonApplication implements IApplication {

    static final Duration START_WAIT = Duration.ofSeconds(20);
    /** How long the daemon waits for FileInstall to apply a dropins/ file with its settings. */
    static final Duration DROPINS_WAIT = Duration.ofSeconds(10);
    static final Duration SEAL_WAIT = Duration.ofSeconds(30);
    static final String CAPTURE_PID = "io.capstan.capture";
    static final long LEVEL_INTERVAL_MILLIS = 100;
    /** After a TERM: how long the JVM's shutdown waits for the framework to stop once the daemon has. */
    static final Duration FRAMEWORK_STOP_WAIT = Duration.ofSeconds(15);

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile DaemonState state;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS,
                new String[0]);
        context.applicationRunning();
        try {
            return run(args);
        } finally {
            finished.countDown();
        }
    }

    private int run(String[] args) throws Exception {
        int httpPort = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("daemon")) {
                continue;
            }
            if (args[i].equals("--http") && i + 1 < args.length) {
                try {
                    httpPort = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    httpPort = -1;
                }
                if (httpPort < 1 || httpPort > 65535) {
                    System.err.println("capstan: --http needs a port number 1-65535, was '" + args[i] + "'");
                    return 2;
                }
            } else {
                System.err.println("capstan: unknown daemon option '" + args[i] + "'; usage: capstan daemon [--http PORT]");
                return 2;
            }
        }
        Path dir;
        try {
            dir = RuntimeDirectories.prepare();
        } catch (IOException e) {
            System.err.println("capstan: " + e.getMessage());
            return 1;
        }
        InstanceLock lock;
        OptionalLong previous = InstanceLock.readPid(dir);
        try {
            lock = InstanceLock.acquire(dir);
        } catch (InstanceLock.HeldException e) {
            System.err.println("capstan: daemon " + e.getMessage() + "; stop it with ./capstan stop, or talk to it "
                    + "with ./capstan status");
            return 1;
        }
        try (lock) {
            if (previous.isPresent()) {
                System.err.println("capstan: the previous daemon (pid " + previous.getAsLong()
                        + ") ended without cleaning up; replacing its stale files in " + dir);
            }
            return serve(dir, httpPort);
        }
    }

    private int serve(Path dir, int httpPort) throws Exception {
        BundleContext bc = FrameworkUtil.getBundle(getClass()).getBundleContext();
        ConfigurationAdmin cm = service(bc, ConfigurationAdmin.class);
        Configuration config = configure(cm, bc.getProperty("felix.fileinstall.dir"), dir, httpPort,
                DaemonConfig.MODE_DAEMON);
        try {
            ControlServer server = controlServer(bc, dir);
            state = service(bc, DaemonState.class);
            if (server == null || state == null) {
                System.err.println("capstan: the daemon's control socket did not start within "
                        + START_WAIT.toSeconds() + " s; run with CAPSTAN_DEBUG=1 to see why");
                return 1;
            }
            Bundle system = bc.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> terminated(system), "capstan-daemon-shutdown"));
            System.err.println("capstan: daemon running, pid " + ProcessHandle.current().pid() + ", socket "
                    + server.socket() + (httpPort > 0 ? ", http port " + httpPort : "")
                    + "; stop it with ./capstan stop");
            state.awaitStop(); // no polling: the main thread sleeps until the stop command or a shutdown
            sealRunningTakes(bc);
            System.err.println("capstan: daemon stopped");
            return 0;
        } finally {
            config.delete();
        }
    }

    /**
     * Turns on level events for the capture service (unless configured already), and gives the
     * daemon's components this run's runtime directory and HTTP port, keeping whatever
     * else the user set for {@link DaemonConfig#PID} (a {@code io.capstan.daemon.config} file in
     * dropins/: {@code maxLineBytes}, {@code replayEvents}). When there is such a file, waits
     * (at most {@link #DROPINS_WAIT}) until FileInstall has applied it: applied later, it would
     * replace the runtime directory and port and restart the control socket under its clients.
     * The caller deletes the configuration when the daemon stops; FileInstall does not write that
     * back into the user's file ({@code felix.fileinstall.enableConfigSave=false} in the products).
     *
     * @param dropins FileInstall's directory ({@code felix.fileinstall.dir}); null when there is none
     * @param mode    what serves: {@link DaemonConfig#MODE_DAEMON}, {@link DaemonConfig#MODE_WORKSTATION},
     *                {@link DaemonConfig#MODE_COMMAND}
     */
    static Configuration configure(ConfigurationAdmin cm, String dropins, Path dir, int httpPort, String mode)
            throws IOException, InterruptedException {
        // Level events (peak/RMS) every 100 ms per recording take; subscribers opt in by topic.
        // Set before the daemon's components exist: the capture service restarts on it.
        Configuration capture = cm.getConfiguration(CAPTURE_PID, "?");
        if (capture.getProperties() == null) {
            Hashtable<String, Object> levels = new Hashtable<>();
            levels.put("levelIntervalMillis", LEVEL_INTERVAL_MILLIS);
            capture.update(levels);
        }
        Configuration config = cm.getConfiguration(DaemonConfig.PID, "?");
        if (dropins != null && (Files.isRegularFile(Path.of(dropins, DaemonConfig.PID + ".config"))
                || Files.isRegularFile(Path.of(dropins, DaemonConfig.PID + ".cfg")))) {
            long deadline = System.nanoTime() + DROPINS_WAIT.toNanos();
            while (!fromFileInstall(config)) {
                if (System.nanoTime() > deadline) {
                    System.err.println("capstan: " + dropins + "/" + DaemonConfig.PID + ".config was not applied within "
                            + DROPINS_WAIT.toSeconds() + " s; the daemon runs without its settings");
                    break;
                }
                Thread.sleep(20);
                config = cm.getConfiguration(DaemonConfig.PID, "?");
            }
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        Dictionary<String, Object> user = config.getProperties();
        if (user != null) {
            for (Enumeration<String> keys = user.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                properties.put(key, user.get(key));
            }
        }
        properties.put("runtimeDir", dir.toString());
        properties.put("httpPort", httpPort);
        properties.put("mode", mode);
        config.update(properties);
        return config;
    }

    private static boolean fromFileInstall(Configuration config) {
        Dictionary<String, Object> p = config.getProperties();
        return p != null && p.get("felix.fileinstall.filename") != null;
    }

    static void sealRunningTakes(BundleContext bc) throws InterruptedException {
        CaptureService capture = service(bc, CaptureService.class);
        if (capture == null) {
            return;
        }
        List<ActiveTake> running = capture.active();
        running.forEach(ActiveTake::stop);
        for (ActiveTake t : running) {
            try {
                System.err.println("capstan: take " + t.id() + " stopped and sealed: " + t.awaitEnd(SEAL_WAIT).state());
            } catch (Exception e) {
                System.err.println("capstan: take " + t.id() + " did not end in time: " + e.getMessage());
            }
        }
    }

    static <T> T service(BundleContext bc, Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(bc, type, null);
        tracker.open();
        return tracker.waitForService(START_WAIT.toMillis());
    }

    /**
     * @return the control server configured for this run's runtime directory, waiting for it (at
     *         most {@link #START_WAIT}); not one still running with an earlier configuration (a
     *         user's dropins/ settings are applied first, this run's directory and port after)
     */
    static ControlServer controlServer(BundleContext bc, Path dir) throws InterruptedException {
        String value = dir.toString().replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
        ServiceTracker<ControlServer, ControlServer> tracker;
        try {
            tracker = new ServiceTracker<>(bc, bc.createFilter("(&(" + Constants.OBJECTCLASS + "="
                    + ControlServer.class.getName() + ")(runtimeDir=" + value + "))"), null);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException("runtime directory " + dir + " cannot be matched: " + e.getMessage(), e);
        }
        tracker.open();
        return tracker.waitForService(START_WAIT.toMillis());
    }

    /**
     * JVM shutdown (SIGTERM from a service manager, {@code kill PID}, the {@code ./capstan} script
     * passing on a TERM, INT or HUP): the launcher does not stop the framework then, so stop as
     * {@code ./capstan stop} does (running takes stopped and sealed, socket and pid file removed)
     * and wait while the launcher, once the application has returned, stops the framework. After
     * a normal stop both waits return at once.
     */
    private void terminated(Bundle system) {
        DaemonState s = state;
        if (s != null) {
            s.requestStop();
        }
        try {
            if (finished.await(SEAL_WAIT.toSeconds() + 5, TimeUnit.SECONDS) && system instanceof Framework framework) {
                framework.waitForStop(FRAMEWORK_STOP_WAIT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Framework shutdown (the console's shutdown, or the framework stopped): stop like the stop command. */
    @Override
    public void stop() {
        DaemonState s = state;
        if (s != null) {
            s.requestStop();
        }
        try {
            finished.await(SEAL_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
