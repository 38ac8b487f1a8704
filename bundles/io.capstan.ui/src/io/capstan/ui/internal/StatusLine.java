package io.capstan.ui.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Collectors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;

import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.DeviceRegistry;
import jakarta.annotation.PostConstruct;

/** The status line: recording or idle, free space of the store, backends loaded. Once a second. */
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
        int recording = capture.active().size();
        String free;
        try {
            free = String.format("%.1f GiB free", Files.getFileStore(store.home()).getUsableSpace() / (double) (1L << 30));
        } catch (IOException | RuntimeException e) {
            free = "free space unknown";
        }
        String backends = registry.backends().stream().map(CaptureBackend::id).sorted().collect(Collectors.joining(", "));
        label.setText((recording == 0 ? "Idle" : "Recording " + recording + (recording == 1 ? " take" : " takes"))
                + "   |   " + free + " in " + store.home() + "   |   backends: " + (backends.isEmpty() ? "none" : backends));
        label.getParent().getParent().layout(true, true);
        label.getDisplay().timerExec(1000, this::update);
    }
}
