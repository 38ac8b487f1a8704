package io.capstan.console.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.capstan.api.ActiveTake;
import io.capstan.api.AudioFormat;
import io.capstan.api.CapstanException;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureException;
import io.capstan.api.CaptureRequest;
import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.Device;
import io.capstan.api.DeviceNotFoundException;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.ExportResult;
import io.capstan.api.ProgressListener;
import io.capstan.api.SampleFormat;
import io.capstan.api.StoreHealth;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.VerifyReport;

/**
 * What the Gogo commands and the command line do: parse nothing, call the API, print. Shared so
 * that both surfaces print the same lines. Methods return a process exit status (0 = success).
 */
final class Commands {

    /** Extra time a recording may take beyond its length before the command gives up. */
    static final Duration RECORD_GRACE = Duration.ofSeconds(30);

    private final DeviceRegistry registry;
    private final CaptureService capture;
    private final ChunkStore store;
    private final PrintStream out;
    private final PrintStream err;

    Commands(DeviceRegistry registry, CaptureService capture, ChunkStore store, PrintStream out, PrintStream err) {
        this.registry = registry;
        this.capture = capture;
        this.store = store;
        this.out = out;
        this.err = err;
    }

    /** @return " [FL FR]", or "" when the backend does not know the channel positions */
    private static String positions(Device d) {
        return d.channelPositions().isEmpty() ? "" : " [" + String.join(" ", d.channelPositions()) + "]";
    }

    int devices() {
        List<Device> devices = registry.devices();
        int idWidth = devices.stream().mapToInt(d -> d.id().length()).max().orElse(0);
        for (Device d : devices) {
            AudioFormat f = d.nativeFormat();
            out.printf("%-" + idWidth + "s  %dch%s  %d Hz  %s  %s%n", d.id(), f.channels(), positions(d),
                    f.sampleRate(), d.backend(), d.description());
        }
        if (devices.isEmpty()) {
            err.println("no capture devices found" + backendProblems());
        }
        return 0;
    }

    /**
     * Records {@code seconds} from a device into the store and exports it when {@code wav} is set.
     *
     * @param sampleFormat, rate, channels the format asked for; null parts default to the device's
     */
    int record(String deviceId, double seconds, SampleFormat sampleFormat, Integer rate, Integer channels, Path wav)
            throws InterruptedException {
        return record(deviceId, seconds, sampleFormat, rate, channels, wav, null, false);
    }

    /**
     * As {@link #record(String, double, SampleFormat, Integer, Integer, Path)}, through a named
     * backend (null: the preferred one) and with conversion allowed when {@code convert}.
     */
    int record(String deviceId, double seconds, SampleFormat sampleFormat, Integer rate, Integer channels, Path wav,
            String backend, boolean convert) throws InterruptedException {
        if (!(seconds > 0)) {
            err.println("--seconds must be a positive number, was " + seconds);
            return 2;
        }
        try {
            Device device = registry.await(deviceId, Duration.ofSeconds(3));
            if (backend != null && !backend.equals(device.backend())) {
                Device listed = device;
                device = registry.find(device.id(), backend).orElseThrow(() -> new DeviceNotFoundException(
                        listed.id(), registry.devices().stream().map(Device::id).toList(),
                        "through backend '" + backend + "'"));
            }
            AudioFormat n = device.nativeFormat();
            AudioFormat f = new AudioFormat(rate != null ? rate : n.sampleRate(),
                    channels != null ? channels : n.channels(), sampleFormat != null ? sampleFormat : n.sampleFormat());
            long frames = Math.round(seconds * f.sampleRate());
            err.printf("recording %s (%s) through %s for %s s: %d frames of %s%n", device.id(),
                    device.description(), device.backend(), seconds, frames, f);
            ActiveTake active = capture.start(new CaptureRequest(device.id(), f, frames, device.backend(), convert));
            Take take = awaitEndWarningOfLowSpace(active, Duration.ofMillis((long) (seconds * 1000)).plus(RECORD_GRACE));
            out.printf("take %s: %d frames, %d chunks, %s, %s, backend %s%n", take.id(), take.frames(),
                    take.chunks().size(), take.format(), take.state(), take.backend());
            out.println("statistics: " + active.statistics());
            if (take.state() != TakeState.COMPLETE || take.frames() != frames) {
                err.println("take " + take.id() + " did not record " + frames + " frames: " + take.reason());
                return 1;
            }
            if (wav != null) {
                return export(take.id(), wav);
            }
            return 0;
        } catch (CapstanException e) {
            err.println(e.getMessage() + (registry.devices().isEmpty() ? backendProblems() : ""));
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("cannot record in that format: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Waits for the take's end, looking at the store once a second meanwhile: when the take will
     * reach the store's free-space reserve within its warning time, says so once on standard
     * error (the take then ends there by itself, its frames sealed).
     */
    private Take awaitEndWarningOfLowSpace(ActiveTake active, Duration timeout)
            throws CaptureException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean warned = false;
        while (true) {
            try {
                return active.awaitEnd(Duration.ofNanos(Math.max(1, Math.min(1_000_000_000L,
                        deadline - System.nanoTime()))));
            } catch (CaptureException e) {
                if (active.state().isFinal()) {
                    return active.awaitEnd(RECORD_GRACE); // ended as the wait ran out: its own outcome
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
            }
            StoreHealth h = store.health();
            long rate = active.format().bytesPerSecond();
            if (!warned && h.lowSpace(rate)) {
                warned = true;
                err.println("warning: the store " + store.home() + " has " + StoreHealth.bytes(h.usableBytes())
                        + " free: this take reaches its reserve of " + StoreHealth.bytes(h.reserveBytes())
                        + " in about " + StoreHealth.duration(h.secondsLeft(rate)) + ", and then ends");
            }
        }
    }

    /** Waits until a device exists and prints its line; 1 when it did not appear in time. */
    int await(String selector, double seconds) throws InterruptedException {
        try {
            Device d = registry.await(selector, Duration.ofMillis((long) (seconds * 1000)));
            AudioFormat f = d.nativeFormat();
            out.printf("%s  %dch%s  %d Hz  %s  %s%n", d.id(), f.channels(), positions(d), f.sampleRate(), d.backend(),
                    d.description());
            return 0;
        } catch (CapstanException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    int takes() {
        try {
            for (Take t : store.takes()) {
                out.printf("%s  %-9s  %8.2f s  %4d chunks  %s  %s%n", t.id(), t.state(), t.seconds(),
                        t.chunks().size(), t.format(), t.deviceId());
            }
            return 0;
        } catch (CapstanException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    int export(String takeId, Path wav) {
        try {
            ExportResult r = store.export(takeId, wav.toAbsolutePath(), progress("exporting " + takeId));
            out.printf("wrote %s: %d frames, %d bytes%s%n", r.file(), r.frames(), r.bytes(), r.rf64() ? ", RF64" : "");
            return 0;
        } catch (CapstanException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    int verify(String takeId) {
        try {
            VerifyReport report = store.verify(takeId, progress("verifying"));
            for (VerifyReport.Problem p : report.problems()) {
                out.printf("BAD  take %s chunk %d: expected %s, found %s%n", p.takeId(), p.index(), p.expected(),
                        p.actual());
            }
            out.printf("%s: %d takes, %d chunks checked, %d bad%n", report.ok() ? "OK" : "FAILED", report.takes(),
                    report.chunks(), report.problems().size());
            return report.ok() ? 0 : 1;
        } catch (CapstanException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    int status() {
        StoreHealth health = store.health();
        out.println("store: " + store.home() + " (" + health.describeSpace() + ")");
        if (!health.canRecord()) {
            out.println("store cannot record: " + health.recordingProblem());
        }
        health.warnings().forEach(w -> out.println("store warning: " + w));
        String dropins = System.getProperty("felix.fileinstall.dir");
        out.println("dropins: " + (dropins == null ? "none (Felix FileInstall is not configured)"
                : java.nio.file.Path.of(dropins).toAbsolutePath().normalize()
                        + " (bundles dropped here are installed and started; deleting one uninstalls it)"));
        for (CaptureBackend b : registry.backends()) {
            out.printf("backend %s: %d devices%s%n", b.id(), b.devices().size(),
                    b.problem() == null ? "" : " (" + b.problem() + ")");
        }
        List<ActiveTake> active = capture.active();
        out.println(active.isEmpty() ? "idle" : "recording " + active.size() + " take(s)");
        for (ActiveTake t : active) {
            out.printf("  %s  %s  %d frames  %d chunks  %s%n", t.id(), t.state(), t.frames(), t.chunks(),
                    t.device().id());
        }
        return 0;
    }

    private String backendProblems() {
        StringBuilder b = new StringBuilder();
        for (CaptureBackend backend : registry.backends()) {
            if (backend.problem() != null) {
                b.append(System.lineSeparator()).append("  backend ").append(backend.id()).append(": ")
                        .append(backend.problem());
            }
        }
        if (registry.backends().isEmpty()) {
            b.append(System.lineSeparator()).append("  no capture backend is installed");
        }
        return b.toString();
    }

    /** Prints whole percent steps of long work to standard error. */
    private ProgressListener progress(String what) {
        return new ProgressListener() {
            private long lastPercent = -1;

            @Override
            public boolean worked(long done, long total) {
                long percent = total == 0 ? 100 : done * 100 / total;
                if (total > 64L << 20 && percent / 10 != lastPercent / 10) {
                    err.printf("%s: %d%%%n", what, percent);
                }
                lastPercent = percent;
                return true;
            }
        };
    }
}
