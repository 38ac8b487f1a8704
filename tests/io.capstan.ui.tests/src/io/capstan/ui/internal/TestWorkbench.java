package io.capstan.ui.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.eclipse.e4.ui.internal.workbench.swt.E4Application;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.eclipse.swt.widgets.Display;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The real workstation application for tests: a private Xvfb, {@link E4Application} started on
 * a thread of its own with Capstan's application model, UI access through {@link #ui} (which
 * rethrows what the UI thread threw), errors the workbench logged collected for the tests to
 * fail on, and bounded waits.
 */
final class TestWorkbench {

    static final Duration WAIT = Duration.ofSeconds(30);

    /** libc's setenv: GTK reads DISPLAY from the process environment, which Java cannot change. */
    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private Process xvfb;
    private Thread main;
    private IWorkbench workbench;
    private Display display;
    final List<String> loggedErrors = new CopyOnWriteArrayList<>();
    final AtomicReference<Throwable> applicationFailure = new AtomicReference<>();
    long startedNanos;
    long windowVisibleNanos;

    /** @return null when started, else why no display can be had (the tests are then skipped) */
    String startDisplay() throws IOException, InterruptedException {
        Path xvfbBinary = Path.of("/usr/bin/Xvfb");
        if (!Files.isExecutable(xvfbBinary)) {
            return System.getenv("DISPLAY") != null ? null
                    : "no display and no Xvfb: install xvfb xauth libgtk-3-0 fonts-dejavu-core";
        }
        xvfb = new ProcessBuilder(xvfbBinary.toString(), "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten",
                "tcp").redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> xvfb.destroyForcibly()));
        BufferedReader out = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII));
        AtomicReference<String> line = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                line.set(out.readLine());
            } catch (IOException e) {
                line.set(null);
            }
        });
        reader.start();
        reader.join(TimeUnit.SECONDS.toMillis(20));
        if (line.get() == null) {
            xvfb.destroyForcibly();
            return "Xvfb did not report a display within 20 s";
        }
        LibC libc = Native.load("c", LibC.class);
        libc.setenv("DISPLAY", ":" + line.get().trim(), 1);
        libc.setenv("GDK_BACKEND", "x11", 1);
        libc.setenv("NO_AT_BRIDGE", "1", 1);
        return null;
    }

    void start() throws Exception {
        BundleContext bc = context();
        ServiceTracker<LogReaderService, LogReaderService> logs = new ServiceTracker<>(bc, LogReaderService.class, null);
        logs.open();
        LogReaderService reader = logs.waitForService(5000);
        if (reader != null) {
            reader.addLogListener(this::logged);
        }
        ServiceTracker<IWorkbench, IWorkbench> tracker = new ServiceTracker<>(bc, IWorkbench.class, null);
        tracker.open();
        startedNanos = System.nanoTime();
        main = new Thread(() -> {
            try {
                new E4Application().start(new Context(bc.getBundle()));
            } catch (Throwable t) {
                applicationFailure.set(t);
            }
        }, "capstan-workbench");
        main.start();
        workbench = tracker.waitForService(WAIT.toMillis());
        if (workbench == null) {
            throw new AssertionError("the workbench did not start within " + WAIT.toSeconds() + " s",
                    applicationFailure.get());
        }
        display = Display.findDisplay(main);
        await("the Capstan window is visible", () -> ui(() -> mainShell() != null));
        windowVisibleNanos = System.nanoTime();
    }

    private void logged(LogEntry entry) {
        if (entry.getLogLevel() == LogLevel.ERROR) {
            Throwable t = entry.getException();
            loggedErrors.add(entry.getBundle().getSymbolicName() + ": " + entry.getMessage()
                    + (t == null ? "" : " " + t));
        }
    }

    /** @return the visible window titled Capstan (E4 also keeps a hidden "limbo" shell), or null. UI thread. */
    org.eclipse.swt.widgets.Shell mainShell() {
        for (var shell : display.getShells()) {
            if (shell.isVisible() && "Capstan".equals(shell.getText())) {
                return shell;
            }
        }
        return null;
    }

    IWorkbench workbench() {
        return workbench;
    }

    Display display() {
        return display;
    }

    /** Runs {@code work} on the UI thread and returns its value; what it throws is thrown here. */
    <T> T ui(Callable<T> work) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        display.syncExec(() -> {
            try {
                result.set(work.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }

    /** Waits up to {@link #WAIT} for a condition checked every 50 ms. */
    static void await(String what, Callable<Boolean> condition) throws Exception {
        await(what, WAIT, condition);
    }

    static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (Boolean.TRUE.equals(condition.call())) {
                return;
            }
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws Exception {
        await(what, () -> condition.getAsBoolean());
    }

    void stop() throws InterruptedException {
        if (workbench != null && display != null && !display.isDisposed()) {
            display.asyncExec(() -> workbench.close());
        }
        if (main != null) {
            main.join(TimeUnit.SECONDS.toMillis(20));
        }
        if (xvfb != null) {
            xvfb.destroy();
            xvfb.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static BundleContext context() {
        return FrameworkUtil.getBundle(TestWorkbench.class).getBundleContext();
    }

    /** What E4Application reads from its launcher: Capstan's model, no persisted state. */
    private static final class Context implements IApplicationContext {
        private final Bundle branding;

        Context(Bundle self) {
            Bundle app = null;
            for (Bundle b : self.getBundleContext().getBundles()) {
                if (b.getSymbolicName().equals("io.capstan.app")) {
                    app = b;
                }
            }
            this.branding = app;
        }

        @Override
        public Map<String, Object> getArguments() {
            return Map.of(IApplicationContext.APPLICATION_ARGS, new String[] {"-applicationXMI",
                    "io.capstan.app/Application.e4xmi", "-clearPersistedState", "-persistState", "false"});
        }

        @Override
        public void applicationRunning() {
        }

        @Override
        public String getBrandingApplication() {
            return "org.eclipse.e4.ui.workbench.swt.E4Application";
        }

        @Override
        public String getBrandingName() {
            return "Capstan";
        }

        @Override
        public String getBrandingDescription() {
            return null;
        }

        @Override
        public String getBrandingId() {
            return "io.capstan.app.product";
        }

        @Override
        public String getBrandingProperty(String key) {
            return null;
        }

        @Override
        public Bundle getBrandingBundle() {
            return branding;
        }

        @Override
        public void setResult(Object result, IApplication application) {
        }
    }
}
