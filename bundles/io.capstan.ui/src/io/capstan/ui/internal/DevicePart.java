package io.capstan.ui.internal;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.model.application.ui.basic.MPart;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.osgi.service.event.Event;

import io.capstan.api.ActiveTake;
import io.capstan.api.CapstanEvents;
import io.capstan.api.CaptureRequest;
import io.capstan.api.CaptureService;
import io.capstan.api.Device;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.LevelTap;
import io.capstan.api.MeteringService;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

/**
 * One device: live meters, record/stop, format, the running take's figures, and why a take or
 * metering failed. Meters are polled from the {@link LevelTap} {@value #METER_HZ} times a second.
 */
public class DevicePart {

    /** Persisted-state key holding the device id. */
    public static final String DEVICE_ID = "capstan.deviceId";
    /** Tag of every device part. */
    public static final String TAG_DEVICE_PART = "capstan.devicepart";
    static final int METER_HZ = 25;

    private Label stats;
    private Label error;
    private Button record;
    private MeterCanvas meters;
    private LevelTap tap;
    private volatile ActiveTake take;
    private Instant takeStart;
    private String deviceId;
    private CaptureService capture;
    private UISynchronize sync;

    @PostConstruct
    void create(Composite parent, MPart part, DeviceRegistry registry, MeteringService metering,
            CaptureService captureService, UISynchronize uiSync) {
        this.capture = captureService;
        this.sync = uiSync;
        this.deviceId = part.getPersistedState().get(DEVICE_ID);
        // one row: record button | name, format and take figures | meters; errors below
        GridLayout layout = new GridLayout(3, false);
        layout.marginHeight = 2;
        layout.verticalSpacing = 1;
        parent.setLayout(layout);
        Device device = registry.find(deviceId).orElse(null);
        record = new Button(parent, SWT.PUSH);
        record.setText("Record");
        record.setData("capstan.action", "record");
        record.setLayoutData(new GridData(70, SWT.DEFAULT));
        record.addListener(SWT.Selection, e -> toggle());
        Composite info = new Composite(parent, SWT.NONE);
        GridLayout infoLayout = new GridLayout(1, false);
        infoLayout.marginHeight = 0;
        infoLayout.verticalSpacing = 0;
        info.setLayout(infoLayout);
        GridData infoData = new GridData(SWT.FILL, SWT.CENTER, false, false);
        infoData.widthHint = 520;
        info.setLayoutData(infoData);
        Label title = new Label(info, SWT.NONE);
        title.setText(device != null ? device.description() + "  (" + deviceId + ")" : deviceId);
        String format = device != null ? device.nativeFormat() + " [" + device.backend() + "]" : "";
        stats = new Label(info, SWT.NONE);
        stats.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        stats.setData("capstan.format", format);
        stats.setText(format + "  ·  idle");
        meters = new MeterCanvas(parent);
        meters.setData("capstan.meter", deviceId);
        meters.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        error = new Label(parent, SWT.WRAP);
        error.setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_RED));
        GridData errorData = new GridData(SWT.FILL, SWT.TOP, true, false, 3, 1);
        errorData.exclude = true;
        error.setLayoutData(errorData);
        error.setData("capstan.error", Boolean.TRUE);
        try {
            tap = metering.tap(deviceId);
            meters.show(tap.levels());
        } catch (Exception e) {
            showError("metering failed: " + e.getMessage());
        }
        parent.getDisplay().timerExec(1000 / METER_HZ, this::tick);
    }

    private void tick() {
        if (meters.isDisposed()) {
            return;
        }
        if (tap != null) {
            meters.show(tap.levels());
            if (tap.problem() != null && error.getText().isEmpty()) {
                showError("metering: " + tap.problem());
            }
        }
        ActiveTake t = take;
        if (t != null) {
            long secs = Duration.between(takeStart, Instant.now()).toSeconds();
            stats.setText(stats.getData("capstan.format") + "  ·  " + String.format("%s %d:%02d  %d frames  %d chunks  %d overruns", t.state(), secs / 60, secs % 60,
                    t.frames(), t.chunks(), t.overruns()));
        }
        meters.getDisplay().timerExec(1000 / METER_HZ, this::tick);
    }

    private void toggle() {
        ActiveTake t = take;
        if (t != null) {
            t.stop();
            record.setEnabled(false);
            return;
        }
        record.setEnabled(false);
        showError("");
        Thread starter = new Thread(() -> {
            try {
                ActiveTake started = capture.start(new CaptureRequest(deviceId, null, 0));
                sync.asyncExec(() -> {
                    take = started;
                    takeStart = Instant.now();
                    if (!record.isDisposed()) {
                        record.setText("Stop");
                        record.setData("capstan.take", started.id());
                        record.setEnabled(true);
                        record.getParent().layout();
                    }
                });
            } catch (Exception e) {
                sync.asyncExec(() -> {
                    if (!record.isDisposed()) {
                        record.setEnabled(true);
                        showError("take did not start: " + e.getMessage());
                    }
                });
            }
        }, "capstan-ui-start-" + deviceId);
        starter.setDaemon(true);
        starter.start();
    }

    @Inject
    @Optional
    void takeEnded(@UIEventTopic("capstan/take/*") Event event) {
        ActiveTake t = take;
        if (t == null || record == null || record.isDisposed()
                || !t.id().equals(event.getProperty(CapstanEvents.TAKE_ID))) {
            return;
        }
        boolean failed = CapstanEvents.TAKE_FAILED.equals(event.getTopic());
        if (failed || CapstanEvents.TAKE_STOPPED.equals(event.getTopic())) {
            take = null;
            record.setText("Record");
            record.setEnabled(true);
            stats.setText(stats.getData("capstan.format") + "  ·  last take " + t.id() + ": " + event.getProperty(CapstanEvents.FRAMES) + " frames, "
                    + event.getProperty(CapstanEvents.CHUNKS) + " chunks (" + event.getProperty(CapstanEvents.REASON) + ")");
            if (failed) {
                showError("take " + t.id() + " failed: " + event.getProperty(CapstanEvents.REASON));
            }
            record.getParent().layout();
        }
    }

    private void showError(String text) {
        error.setText(text);
        ((GridData) error.getLayoutData()).exclude = text.isEmpty();
        error.setVisible(!text.isEmpty());
        error.getParent().layout();
    }

    @PreDestroy
    void dispose() {
        if (tap != null) {
            tap.close();
        }
        ActiveTake t = take;
        if (t != null) {
            t.stop();
        }
    }
}
