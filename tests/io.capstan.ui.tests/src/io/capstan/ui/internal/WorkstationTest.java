package io.capstan.ui.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.jobs.IJobChangeEvent;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.jobs.JobChangeAdapter;
import org.eclipse.e4.ui.model.application.MApplication;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.e4.ui.workbench.modeling.EModelService;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

import io.capstan.api.ActiveTake;
import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.Levels;
import io.capstan.api.Take;
import io.capstan.api.TakeState;

/**
 * The workstation as a user meets it, in the real E4 application under Xvfb, with the test
 * signal backend installed at run time (before the window opened, later from the console and
 * through dropins/). Methods run in order: they share one application.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkstationTest {

    static final String SINE = "testsignal-sine-440";
    static final String SINE_1K = "testsignal-sine-1000";
    static final String SILENCE = "testsignal-silence";
    static final TestWorkbench WB = new TestWorkbench();
    static Bundle testSignal;
    static DeviceRegistry registry;
    static CaptureService capture;
    static ChunkStore store;

    private static String skipReason;

    @BeforeAll
    static void openWorkstation() throws Exception {
        String noDisplay = WB.startDisplay();
        if (noDisplay != null) {
            skipReason = noDisplay;
            return;
        }
        registry = service(DeviceRegistry.class);
        capture = service(CaptureService.class);
        store = service(ChunkStore.class);
        // a jar left in dropins/ by an interrupted run would be a second test-signal backend
        Path dropins = Path.of(System.getProperty("felix.fileinstall.dir"));
        if (Files.isDirectory(dropins)) {
            try (var leftovers = Files.list(dropins)) {
                for (Path p : leftovers.toList()) {
                    Files.delete(p);
                }
            }
        }
        TestWorkbench.await("no test-signal bundle from an earlier run", () -> List.of(TestWorkbench.context().getBundles())
                .stream().noneMatch(b -> b.getSymbolicName().equals("io.capstan.backend.testsignal")));
        configureTestSignal(440.0, 1000.0);
        // a backend installed at run time, before the window opens: its devices are there at start
        testSignal = TestWorkbench.context().installBundle(jar().toUri().toString());
        testSignal.start();
        registry.await(SILENCE, Duration.ofSeconds(20));
        WB.start();
        for (String id : List.of(SINE, SINE_1K, SILENCE)) {
            TestWorkbench.await("a metering part for " + id, () -> levels(id) != null && levels(id).frames() > 0);
        }
        readyNanos = System.nanoTime();
    }

    static long readyNanos;

    /** Each test is reported skipped, with the reason, when the class could not set up (no PipeWire). */
    @BeforeEach
    void needsTheSetUp() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void closeWorkstation() throws Exception {
        if (skipReason == null) {
            WB.stop();
        }
    }

    @AfterEach
    void nothingWentWrongOnTheUiThread() {
        if (skipReason != null) {
            return;
        }
        assertEquals(List.of(), WB.loggedErrors, "errors logged by the workbench");
        assertEquals(null, WB.applicationFailure.get());
    }

    static <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(TestWorkbench.context(), type, null);
        t.open();
        T s = t.waitForService(TestWorkbench.WAIT.toMillis());
        if (s == null) {
            throw new AssertionError(type.getName() + " not registered");
        }
        return s;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("capstan.testsignal.jar"));
        assertTrue(Files.isRegularFile(jar), "test signal jar not built: " + jar);
        return jar;
    }

    static void configureTestSignal(double... frequencies) throws Exception {
        Configuration c = service(ConfigurationAdmin.class).getConfiguration("io.capstan.backend.testsignal", "?");
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("frequencies", frequencies);
        p.put("pinkNoise", false);
        p.put("silence", true);
        c.update(p);
    }

    // ---- model and widget queries (UI thread) ----

    static List<MPart> deviceParts() throws Exception {
        return WB.ui(() -> {
            MApplication app = WB.workbench().getApplication();
            EModelService models = app.getContext().get(EModelService.class);
            return models.findElements(app, null, MPart.class, List.of(DevicePart.TAG_DEVICE_PART));
        });
    }

    static boolean hasRenderedPart(String deviceId) throws Exception {
        return WB.ui(() -> {
            MApplication app = WB.workbench().getApplication();
            EModelService models = app.getContext().get(EModelService.class);
            List<MPart> found = models.findElements(app, null, MPart.class, List.of(DeviceViewsAddon.TAG + deviceId));
            return found.size() == 1 && found.get(0).getWidget() instanceof Control c && !c.isDisposed()
                    && found.get(0).getObject() != null;
        });
    }

    static <T extends Control> List<T> widgets(Class<T> type, String key, Object value) throws Exception {
        return WB.ui(() -> {
            List<T> found = new ArrayList<>();
            for (var shell : WB.display().getShells()) {
                collect(shell, type, key, value, found);
            }
            return found;
        });
    }

    private static <T extends Control> void collect(Control c, Class<T> type, String key, Object value, List<T> out) {
        if (type.isInstance(c) && (key == null || value.equals(c.getData(key)))) {
            out.add(type.cast(c));
        }
        if (c instanceof Composite comp) {
            for (Control child : comp.getChildren()) {
                collect(child, type, key, value, out);
            }
        }
    }

    static Levels levels(String deviceId) throws Exception {
        List<MeterCanvas> meters = widgets(MeterCanvas.class, "capstan.meter", deviceId);
        return meters.isEmpty() ? null : WB.ui(() -> (Levels) meters.get(0).getData(MeterCanvas.LEVELS));
    }

    static Button recordButton(String deviceId) throws Exception {
        MeterCanvas meter = widgets(MeterCanvas.class, "capstan.meter", deviceId).get(0);
        return WB.ui(() -> {
            for (Control c : meter.getParent().getChildren()) {
                if (c instanceof Button b && "record".equals(b.getData("capstan.action"))) {
                    return b;
                }
            }
            throw new AssertionError("no record button in the part of " + deviceId);
        });
    }

    static void click(Button b) throws Exception {
        WB.ui(() -> {
            b.notifyListeners(SWT.Selection, null);
            return null;
        });
    }

    static ActiveTake activeTakeOn(String deviceId) {
        return capture.active().stream().filter(t -> t.device().id().equals(deviceId)).findFirst().orElse(null);
    }

    // ---- tests ----

    /**
     * The harness sees what the UI thread throws (the E4 event loop only logs it), and a window
     * that lost its active state after an error still gets its device parts (the addon used the
     * application's part service, which needs an active window, and failed here).
     */
    @Test
    @Order(0)
    void exceptionsOnTheUiThreadAreSeenByTheTests() throws Exception {
        WB.display().asyncExec(() -> {
            throw new IllegalStateException("thrown on purpose on the UI thread");
        });
        TestWorkbench.await("the workbench logged it",
                () -> WB.loggedErrors.stream().anyMatch(e -> e.contains("thrown on purpose on the UI thread")));
        WB.loggedErrors.clear();
        // E4 also shows an "Internal Error" dialog: close it (its window stays in the way otherwise)
        TestWorkbench.await("the error dialog is closed", () -> WB.ui(() -> {
            var main = WB.mainShell();
            boolean others = false;
            for (var shell : WB.display().getShells()) {
                if (shell != main && shell.isVisible()) {
                    shell.close();
                    others = true;
                }
            }
            return !others;
        }));
    }

    @Test
    @Order(1)
    void showsTheWindowAndAPartPerDevicePresentAtStart() throws Exception {
        for (String id : List.of(SINE, SINE_1K, SILENCE)) {
            TestWorkbench.await("a device part for " + id, () -> hasRenderedPart(id));
        }
        assertEquals(3, deviceParts().size());
        Table devices = widgets(Table.class, "capstan.table", "devices").get(0);
        TestWorkbench.await("the Devices part lists the test signals", () -> WB.ui(() -> devices.getItemCount() == 3));
        Label status = widgets(Label.class, "capstan.status", Boolean.TRUE).get(0);
        TestWorkbench.await("the status line names the backend",
                () -> WB.ui(() -> status.getText().contains("testsignal") && status.getText().contains("Idle")));
    }

    @Test
    @Order(2)
    void metersMoveOnAToneAndStayAtSilenceOnASilentSource() throws Exception {
        TestWorkbench.await("the 440 Hz meter reads the sine (amplitude 0.5 = -6 dBFS peak, -9 dBFS RMS)", () -> {
            Levels l = levels(SINE);
            return l != null && Math.abs(l.peakDbfs()[0] + 6.02) < 0.5 && Math.abs(l.rmsDbfs()[0] + 9.03) < 0.5;
        });
        long before = levels(SINE).frames();
        TestWorkbench.await("the meter keeps moving", () -> levels(SINE).frames() > before + 4800);
        Levels silent = levels(SILENCE);
        TestWorkbench.await("the silent source is metered", () -> levels(SILENCE).frames() > 4800);
        silent = levels(SILENCE);
        for (int c = 0; c < silent.channels(); c++) {
            assertEquals(Levels.FLOOR_DBFS, silent.peakDbfs()[c]);
            assertEquals(Levels.FLOOR_DBFS, silent.rmsDbfs()[c]);
            assertFalse(silent.clipped()[c]);
        }
    }

    @Test
    @Order(4)
    void theEventLogShowsEventsAndFiltersThem() throws Exception {
        Table events = widgets(Table.class, "capstan.table", "events").get(0);
        Text filter = WB.ui(() -> (Text) events.getParent().getChildren()[0]);
        TestWorkbench.await("the take's events are logged", () -> WB.ui(() -> java.util.Arrays.stream(events.getItems())
                .anyMatch(i -> i.getText(1).equals("capstan/take/STARTED") && i.getText(2).contains(SINE_1K))));
        int all = WB.ui(events::getItemCount);
        WB.ui(() -> {
            filter.setText("STARTED");
            return null;
        });
        assertTrue(WB.ui(() -> events.getItemCount() > 0 && events.getItemCount() < all && java.util.Arrays
                .stream(events.getItems()).allMatch(i -> (i.getText(1) + i.getText(2)).contains("STARTED"))));
        WB.ui(() -> {
            filter.setText("");
            return null;
        });
    }

    static String recordedTake;

    @Test
    @Order(3)
    void aTakeStartedFromADevicePartIsVerifiable() throws Exception {
        click(recordButton(SINE_1K));
        TestWorkbench.await("a take runs on " + SINE_1K, () -> activeTakeOn(SINE_1K) != null);
        ActiveTake take = activeTakeOn(SINE_1K);
        TestWorkbench.await("the take has 1.5 s", () -> take.frames() > 72_000);
        Button b = recordButton(SINE_1K);
        TestWorkbench.await("the button offers Stop", () -> WB.ui(() -> "Stop".equals(b.getText())));
        click(b);
        Take done = take.awaitEnd(TestWorkbench.WAIT);
        assertEquals(TakeState.COMPLETE, done.state(), done.reason());
        assertTrue(done.frames() > 72_000);
        assertTrue(store.verify(done.id(), (a, c) -> true).ok());
        TestWorkbench.await("the button offers Record again", () -> WB.ui(() -> "Record".equals(b.getText())));
        recordedTake = done.id();
    }

    @Test
    @Order(5)
    void exportRunsAsAJobAndWritesTheRightWav() throws Exception {
        assumeTrue(recordedTake != null, "needs the take of the previous test");
        Table takes = widgets(Table.class, "capstan.table", "takes").get(0);
        TestWorkbench.await("the Takes part lists the take", () -> WB.ui(() -> {
            for (var item : takes.getItems()) {
                if (recordedTake.equals(item.getData())) {
                    takes.setSelection(item);
                    takes.notifyListeners(SWT.Selection, null);
                    return true;
                }
            }
            return false;
        }));
        Path wav = Path.of(System.getProperty("capstan.output"), "export-" + recordedTake + ".wav");
        Files.deleteIfExists(wav);
        Text path = widgets(Text.class, "capstan.exportPath", Boolean.TRUE).get(0);
        WB.ui(() -> {
            path.setText(wav.toString());
            return null;
        });
        AtomicReference<Job> exportJob = new AtomicReference<>();
        AtomicReference<org.eclipse.core.runtime.IStatus> result = new AtomicReference<>();
        JobChangeAdapter listener = new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                if (event.getJob().belongsTo(TakeJobs.EXPORT)) {
                    exportJob.set(event.getJob());
                    result.set(event.getResult());
                }
            }
        };
        Job.getJobManager().addJobChangeListener(listener);
        try {
            click(widgets(Button.class, "capstan.action", "export").get(0));
            TestWorkbench.await("the export job is done", () -> result.get() != null);
        } finally {
            Job.getJobManager().removeJobChangeListener(listener);
        }
        assertTrue(result.get().isOK(), result.get().toString());
        Label message = widgets(Label.class, "capstan.jobMessage", Boolean.TRUE).get(0);
        TestWorkbench.await("the part reports the export",
                () -> WB.ui(() -> Boolean.TRUE.equals(message.getData("capstan.jobOk"))));
        Take take = store.take(recordedTake).orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x46464952, b.getInt(0), "RIFF");
        assertEquals(3, b.getShort(20), "IEEE float");
        assertEquals(2, b.getShort(22), "channels");
        assertEquals(48000, b.getInt(24), "rate");
        int data = 12;
        while (b.getInt(data) != 0x61746164) { // "data"
            data += 8 + b.getInt(data + 4);
        }
        assertEquals(take.frames() * 8, b.getInt(data + 4) & 0xffffffffL, "data bytes");
        assertEquals(data + 8 + take.frames() * 8, Files.size(wav));
        // the 1 kHz tone: count upward zero crossings of the left channel over the whole take
        int crossings = 0;
        float last = 0;
        for (long f = 0; f < take.frames(); f++) {
            float s = b.getFloat((int) (data + 8 + f * 8));
            if (last < 0 && s >= 0) {
                crossings++;
            }
            last = s;
        }
        double hz = crossings / take.seconds();
        assertEquals(1000, hz, 5, "frequency of the exported tone");

        AtomicReference<org.eclipse.core.runtime.IStatus> verified = new AtomicReference<>();
        JobChangeAdapter verifyListener = new JobChangeAdapter() {
            @Override
            public void done(IJobChangeEvent event) {
                if (event.getJob().belongsTo(TakeJobs.VERIFY)) {
                    verified.set(event.getResult());
                }
            }
        };
        Job.getJobManager().addJobChangeListener(verifyListener);
        try {
            click(widgets(Button.class, "capstan.action", "verify").get(0));
            TestWorkbench.await("the verify job is done", () -> verified.get() != null);
        } finally {
            Job.getJobManager().removeJobChangeListener(verifyListener);
        }
        assertTrue(verified.get().isOK(), verified.get().toString());
        TestWorkbench.await("the part says the chunks match", () -> WB.ui(() -> message.getText().startsWith("verified: ")
                && Boolean.TRUE.equals(message.getData("capstan.jobOk"))));
    }

    @Test
    @Order(6)
    void uninstallingFromTheConsoleEndsARunningTakeCleanlyAndClosesTheParts() throws Exception {
        click(recordButton(SINE));
        TestWorkbench.await("a take runs on " + SINE, () -> activeTakeOn(SINE) != null && activeTakeOn(SINE).frames() > 48_000);
        ActiveTake take = activeTakeOn(SINE);
        String out = Console.run("felix:uninstall " + testSignal.getBundleId());
        Take ended = take.awaitEnd(TestWorkbench.WAIT);
        assertEquals(TakeState.COMPLETE, ended.state(), ended.reason() + " / console: " + out);
        assertTrue(ended.chunks().size() >= 1 && store.verify(ended.id(), (a, c) -> true).ok());
        TestWorkbench.await("the registry forgets the devices", () -> registry.devices().stream()
                .noneMatch(d -> d.backend().equals("testsignal")));
        assertFalse(Console.run("capstan:devices").contains("testsignal"));
        TestWorkbench.await("the device parts close", () -> deviceParts().isEmpty());
        assertFalse(hasRenderedPart(SINE));
    }

    @Test
    @Order(7)
    void installingFromTheConsoleBringsDevicesAndParts() throws Exception {
        String out = Console.run("felix:install " + jar().toUri());
        Bundle b = List.of(TestWorkbench.context().getBundles()).stream()
                .filter(x -> x.getSymbolicName().equals("io.capstan.backend.testsignal")).findFirst()
                .orElseThrow(() -> new AssertionError("not installed: " + out));
        String started = Console.run("felix:start " + b.getBundleId());
        String scr = Console.run("scr:info io.capstan.backend.testsignal.internal.TestSignalBackend");
        TestWorkbench.await("the registry lists the devices (bundle state " + b.getState() + ", install: " + out
                + ", start: " + started + ", scr: " + scr + ")", () -> registry.find(SINE).isPresent());
        assertTrue(Console.run("capstan:devices").contains(SINE));
        TestWorkbench.await("a part per device", () -> hasRenderedPart(SINE) && hasRenderedPart(SILENCE));
        Console.run("felix:uninstall " + b.getBundleId());
        TestWorkbench.await("the parts close", () -> deviceParts().isEmpty());
    }

    @Test
    @Order(8)
    void droppingTheJarIntoDropinsHotPlugsItAndDeletingItRemovesIt() throws Exception {
        Path dropins = Path.of(System.getProperty("felix.fileinstall.dir"));
        Files.createDirectories(dropins);
        Path dropped = dropins.resolve("io.capstan.backend.testsignal.jar");
        Files.copy(jar(), dropins.resolve("incoming.tmp"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dropins.resolve("incoming.tmp"), dropped, StandardCopyOption.ATOMIC_MOVE);
        try {
            TestWorkbench.await("the dropped backend's devices are in the registry", () -> registry.find(SINE_1K).isPresent());
            assertTrue(Console.run("capstan:devices").contains(SINE_1K));
            TestWorkbench.await("their parts appear", () -> hasRenderedPart(SINE_1K) && hasRenderedPart(SILENCE));
            TestWorkbench.await("the new part meters", () -> levels(SINE_1K) != null && levels(SINE_1K).frames() > 4800);
            Screenshot.takeIfAsked(WB, capture);
        } finally {
            Files.delete(dropped);
        }
        TestWorkbench.await("deleting the jar removes the devices", () -> registry.find(SINE_1K).isEmpty());
        TestWorkbench.await("and their parts", () -> deviceParts().isEmpty());
    }

    @Test
    @Order(9)
    void aPipeWireVirtualSourceHotPlugsAMeteringPartThroughTheSidecarBackend() throws Exception {
        Path repository = Path.of(System.getProperty("capstan.repository"));
        String script = repository.resolve("tools/pw-sandbox").toString();
        Process check = new ProcessBuilder(script, "check").redirectErrorStream(true).start();
        String missing = new String(check.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assumeTrue(check.waitFor() == 0, "PipeWire is not installed: " + missing);
        Path dir = Path.of(System.getenv("XDG_RUNTIME_DIR")).getParent();
        String tone = "capstan-ui-tone";
        sandbox(script, "start", dir.toString(), "--tone", tone + ":1000:0.25");
        try {
            TestWorkbench.await("the sidecar backend finds the virtual source", () -> registry.find(tone).isPresent());
            TestWorkbench.await("its part appears", () -> hasRenderedPart(tone));
            TestWorkbench.await("its meter reads the 0.25 sine (-12 dBFS peak) through pw-record", () -> {
                Levels l = levels(tone);
                return l != null && Math.abs(l.peakDbfs()[0] + 12.04) < 1.0;
            });
        } finally {
            sandbox(script, "stop", dir.toString());
        }
        TestWorkbench.await("the source leaves the registry with its PipeWire", () -> registry.find(tone).isEmpty());
        TestWorkbench.await("and its part closes", () -> !hasRenderedPart(tone));
    }

    private static void sandbox(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed: " + new String(out, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    @Order(10)
    void benchmark() throws Exception {
        assumeTrue(Boolean.getBoolean("capstan.benchmark"), "figures only with -Dcapstan.benchmark=true");
        Benchmark.run(WB, readyNanos);
    }
}
