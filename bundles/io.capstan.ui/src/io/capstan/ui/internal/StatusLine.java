package io.capstan.ui.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import io.capstan.api.ActiveTake;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.StoreHealth;
import jakarta.annotation.PostConstruct;

/**
 * The status line: recording or idle, the store's free space and the time left at the running
 * takes' data rate (LOW SPACE near the reserve, and why the store cannot record when it cannot),
 * backends loaded. Once a second.
 */
public class StatusLine {

    private Label label;
    private CaptureService capture;
    private ChunkStore store;
    private DeviceRegistry registry;

    @PostConstruct
    void create(Composite parent, CaptureService captureService, ChunkStore chunkStore, DeviceRegistry deviceRegistry) {
        this.capture = captureService;
        this.store = chunkStore;
        this.registry = deviceRegistry;
        Composite box = new Composite(parent, SWT.NONE);
        box.setLayout(new FillLayout());
        label = new Label(box, SWT.NONE);
        label.setData("capstan.status", Boolean.TRUE);
        update();
    }

    private void update() {
        if (label.isDisposed()) {
            return;
        }
        List<ActiveTake> active = capture.active();
        long rate = active.stream().mapToLong(t -> t.format().bytesPerSecond()).sum();
        String backends = registry.backends().stream().map(CaptureBackend::id).sorted().collect(Collectors.joining(", "));
        StoreHealth health = store.health(); // once: it probes the disk
        label.setText(text(active.size(), health, rate, store.home().toString(), backends));
        label.setToolTipText(health.recordingProblem());
        label.getParent().getParent().layout(true, true);
        label.getDisplay().timerExec(1000, this::update);
    }

    /**
     * The line's text: "Recording 2 takes | 1.2 GiB free in /home/…: 52 min at 768 KiB/s | backends: …";
     * "LOW SPACE" when the takes recording reach the reserve within the store's warning time;
     * "cannot record: …" when the store says so.
     *
     * @param rate bytes per second of every take recording
     */
    static String text(int recording, StoreHealth health, long rate, String home, String backends) {
        StringBuilder b = new StringBuilder(recording == 0 ? "Idle"
                : "Recording " + recording + (recording == 1 ? " take" : " takes"));
        b.append("   |   ");
        if (health.totalBytes() < 0) {
            b.append("free space unknown in ").append(home);
        } else {
            b.append(StoreHealth.bytes(health.usableBytes())).append(" free in ").append(home);
            if (rate > 0) {
                b.append(": ").append(StoreHealth.duration(health.secondsLeft(rate))).append(" left at ")
                        .append(StoreHealth.bytes(rate)).append("/s");
                if (health.lowSpace(rate)) {
                    b.insert(0, "LOW SPACE   |   ");
                }
            }
        }
        if (!health.canRecord()) {
            String p = health.recordingProblem();
            int end = p.indexOf(". ");
            b.append("   |   cannot record: ").append(end < 0 ? p : p.substring(0, end));
        }
        b.append("   |   backends: ").append(backends.isEmpty() ? "none" : backends);
        return b.toString();
    }
}
