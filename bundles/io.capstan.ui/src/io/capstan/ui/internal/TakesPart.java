package io.capstan.ui.internal;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.time.ZoneId;
import java.util.List;

import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.SashForm;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;
import org.osgi.service.event.Event;

import io.capstan.api.ChunkRef;
import io.capstan.api.ChunkStore;
import io.capstan.api.Take;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

/**
 * Takes with state, length and chunks; the selected take's chunks and waveform overview;
 * export to WAV and verify as jobs with a progress bar and cancel.
 */
public class TakesPart {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private ChunkStore store;
    private UISynchronize sync;
    private Table takes;
    private Table chunks;
    private WaveformCanvas waveform;
    private Text file;
    private ProgressBar progress;
    private Label message;
    private Button cancel;
    private Job running;

    @PostConstruct
    void create(Composite parent, ChunkStore chunkStore, UISynchronize uiSync) {
        this.store = chunkStore;
        this.sync = uiSync;
        parent.setLayout(new GridLayout(1, false));
        SashForm sash = new SashForm(parent, SWT.VERTICAL);
        sash.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
        takes = table(sash, "takes", "Take:190", "State:90", "Length:70", "Chunks:60", "Device:200", "Reason:250");
        takes.addListener(SWT.Selection, e -> showSelected());
        SashForm detail = new SashForm(sash, SWT.HORIZONTAL);
        chunks = table(detail, "chunks", "#:40", "SHA-256:180", "Frames:80", "Sealed:80");
        waveform = new WaveformCanvas(detail);
        Composite actions = new Composite(parent, SWT.NONE);
        actions.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        actions.setLayout(new GridLayout(6, false));
        file = new Text(actions, SWT.BORDER);
        file.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        file.setData("capstan.exportPath", Boolean.TRUE);
        button(actions, "Export WAV", "export", () -> run(TakeJobs.export(store, selected(), Path.of(file.getText()), progress())));
        button(actions, "Verify", "verify", () -> run(TakeJobs.verify(store, selected(), progress())));
        cancel = button(actions, "Cancel", "cancel", () -> running.cancel());
        cancel.setEnabled(false);
        progress = new ProgressBar(actions, SWT.HORIZONTAL | SWT.SMOOTH);
        progress.setLayoutData(new GridData(160, SWT.DEFAULT));
        message = new Label(actions, SWT.NONE);
        message.setData("capstan.jobMessage", Boolean.TRUE);
        message.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 6, 1));
        sash.setWeights(55, 45);
        refresh();
    }

    private static Table table(Composite parent, String name, String... columns) {
        Table t = new Table(parent, SWT.FULL_SELECTION | SWT.BORDER);
        t.setHeaderVisible(true);
        t.setData("capstan.table", name);
        for (String c : columns) {
            TableColumn col = new TableColumn(t, SWT.NONE);
            col.setText(c.substring(0, c.indexOf(':')));
            col.setWidth(Integer.parseInt(c.substring(c.indexOf(':') + 1)));
        }
        return t;
    }

    private static Button button(Composite parent, String text, String action, Runnable r) {
        Button b = new Button(parent, SWT.PUSH);
        b.setText(text);
        b.setData("capstan.action", action);
        b.addListener(SWT.Selection, e -> r.run());
        return b;
    }

    private String selected() {
        int i = takes.getSelectionIndex();
        return i < 0 ? null : (String) takes.getItem(i).getData();
    }

    private void run(Job job) {
        if (running != null || (selected() == null && job.belongsTo(TakeJobs.EXPORT))) {
            message.setText(running != null ? "a job is running" : "select a take first");
            return;
        }
        running = job;
        cancel.setEnabled(true);
        progress.setSelection(0);
        message.setText(job.getName() + " ...");
        job.schedule();
    }

    private TakeJobs.Progress progress() {
        return new TakeJobs.Progress() {
            @Override
            public void percent(int value) {
                sync.asyncExec(() -> {
                    if (!progress.isDisposed()) {
                        progress.setSelection(value);
                    }
                });
            }

            @Override
            public void done(String text, boolean ok) {
                sync.asyncExec(() -> {
                    if (!message.isDisposed()) {
                        running = null;
                        cancel.setEnabled(false);
                        message.setText(text);
                        message.setData("capstan.jobOk", ok);
                        message.getParent().layout();
                    }
                });
            }
        };
    }

    @Inject
    @Optional
    void takeChanged(@UIEventTopic("capstan/take/*") Event event) {
        if (takes != null && !takes.isDisposed()) {
            refresh();
        }
    }

    private void refresh() {
        String keep = selected();
        List<Take> all;
        try {
            all = store.takes();
        } catch (Exception e) {
            message.setText("cannot list takes: " + e.getMessage());
            return;
        }
        takes.removeAll();
        for (Take t : all.reversed()) {
            TableItem item = new TableItem(takes, SWT.NONE);
            item.setData(t.id());
            item.setText(new String[] {t.id(), t.state().name(), String.format("%.1f s", t.seconds()),
                    Integer.toString(t.chunks().size()), t.deviceId(), t.reason() == null ? "" : t.reason()});
            if (t.id().equals(keep)) {
                takes.setSelection(item);
            }
        }
    }

    private void showSelected() {
        String id = selected();
        chunks.removeAll();
        if (id == null) {
            return;
        }
        file.setText(Path.of(System.getProperty("user.home"), id + ".wav").toString());
        try {
            Take t = store.take(id).orElseThrow();
            for (ChunkRef c : t.chunks()) {
                new TableItem(chunks, SWT.NONE).setText(new String[] {Integer.toString(c.index()),
                        c.sha256().substring(0, 16) + "…", Long.toString(c.frames()), TIME.format(c.sealedAt())});
            }
            waveform.load(t, store.home(), sync);
        } catch (Exception e) {
            message.setText("cannot read take " + id + ": " + e.getMessage());
        }
    }
}
