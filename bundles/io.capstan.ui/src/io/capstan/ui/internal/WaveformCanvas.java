package io.capstan.ui.internal;

import java.nio.file.Path;

import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

import io.capstan.api.Take;

/** The waveform overview of a take, computed off the UI thread. */
final class WaveformCanvas extends Canvas {

    static final int BUCKETS = 800;
    private volatile Waveform waveform;

    WaveformCanvas(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED | SWT.BORDER);
        setData("capstan.waveform", Boolean.TRUE);
        addPaintListener(e -> paint(e.gc));
    }

    void load(Take take, Path home, UISynchronize sync) {
        waveform = null;
        redraw();
        Thread t = new Thread(() -> {
            try {
                Waveform w = Waveform.of(take, home, BUCKETS);
                sync.asyncExec(() -> {
                    if (!isDisposed()) {
                        waveform = w;
                        setData("capstan.waveform", w);
                        redraw();
                    }
                });
            } catch (Exception e) {
                sync.asyncExec(() -> setToolTipText("no overview: " + e.getMessage()));
            }
        }, "capstan-ui-waveform");
        t.setDaemon(true);
        t.start();
    }

    private void paint(GC gc) {
        Waveform w = waveform;
        Rectangle r = getClientArea();
        int mid = r.height / 2;
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_GRAY));
        gc.drawLine(0, mid, r.width, mid);
        if (w == null) {
            return;
        }
        gc.setForeground(getDisplay().getSystemColor(SWT.COLOR_DARK_BLUE));
        for (int x = 0; x < r.width; x++) {
            int b = x * w.min().length / Math.max(1, r.width);
            gc.drawLine(x, mid - (int) (w.max()[b] * mid), x, mid - (int) (w.min()[b] * mid));
        }
    }
}
