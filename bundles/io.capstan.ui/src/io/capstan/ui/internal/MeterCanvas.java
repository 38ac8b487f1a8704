package io.capstan.ui.internal;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;

import io.capstan.api.Levels;

/**
 * Horizontal level meters, one bar per channel: RMS as the bar, peak as a line, the held peak
 * as a mark, a clip box at the right. Scale -60 to 0 dBFS. The levels shown are the widget's
 * data under {@link #LEVELS} (tests read them there).
 */
final class MeterCanvas extends Canvas {

    static final String LEVELS = "capstan.levels";
    private static final double FLOOR = -60.0;
    private static final int BAR = 14;
    private static final int CLIP_BOX = 18;
    private static final int TEXT = 120;

    MeterCanvas(Composite parent) {
        super(parent, SWT.DOUBLE_BUFFERED);
        addPaintListener(e -> paint(e.gc));
    }

    void show(Levels levels) {
        setData(LEVELS, levels);
        redraw();
    }

    @Override
    public Point computeSize(int wHint, int hHint, boolean changed) {
        Levels l = (Levels) getData(LEVELS);
        int n = l == null ? 2 : l.channels();
        return new Point(wHint == SWT.DEFAULT ? 300 : wHint, n * (BAR + 4) + 2);
    }

    private static double fraction(double db) {
        return Math.max(0, Math.min(1, (db - FLOOR) / -FLOOR));
    }

    private void paint(GC gc) {
        Levels l = (Levels) getData(LEVELS);
        if (l == null) {
            return;
        }
        Rectangle r = getClientArea();
        int width = Math.max(10, r.width - CLIP_BOX - TEXT - 8);
        var display = getDisplay();
        Color green = display.getSystemColor(SWT.COLOR_DARK_GREEN);
        Color yellow = display.getSystemColor(SWT.COLOR_YELLOW);
        Color red = display.getSystemColor(SWT.COLOR_RED);
        Color back = display.getSystemColor(SWT.COLOR_WIDGET_NORMAL_SHADOW);
        for (int c = 0; c < l.channels(); c++) {
            int y = c * (BAR + 4) + 1;
            gc.setBackground(back);
            gc.fillRectangle(0, y, width, BAR);
            int rms = (int) (fraction(l.rmsDbfs()[c]) * width);
            gc.setBackground(l.rmsDbfs()[c] > -6 ? yellow : green);
            gc.fillRectangle(0, y, rms, BAR);
            gc.setForeground(display.getSystemColor(SWT.COLOR_BLACK));
            int peak = (int) (fraction(l.peakDbfs()[c]) * width);
            gc.drawLine(peak, y, peak, y + BAR - 1);
            int hold = (int) (fraction(l.holdDbfs()[c]) * width);
            gc.setForeground(red);
            gc.drawLine(hold, y, hold, y + BAR - 1);
            gc.setBackground(l.clipped()[c] ? red : back);
            gc.fillRectangle(width + 4, y, CLIP_BOX, BAR);
            gc.setForeground(display.getSystemColor(SWT.COLOR_WIDGET_FOREGROUND));
            gc.drawString(String.format("%s pk %s rms", db(l.peakDbfs()[c]), db(l.rmsDbfs()[c])), width + CLIP_BOX + 8,
                    y, true);
        }
    }

    private static String db(double v) {
        return v <= Levels.FLOOR_DBFS ? "-inf" : String.format("%.1f", v);
    }
}
