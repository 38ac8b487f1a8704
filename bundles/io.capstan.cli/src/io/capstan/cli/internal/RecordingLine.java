package io.capstan.cli.internal;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one live line on standard error while {@code record} runs on a terminal: elapsed time,
 * peak level per channel (dBFS, since the last level event), gaps (overruns, xruns) and the
 * store's free space, redrawn in place at most four times a second. Prints nothing when
 * standard error is not a terminal, except the warnings given to {@link #say}.
 */
final class RecordingLine {

    private final Context ctx;
    private final long started = System.nanoTime();
    private final StringBuilder peaks = new StringBuilder();
    private long overruns;
    private long xruns;
    private String space = "";
    private long lastDraw;
    private boolean drawn;

    RecordingLine(Context ctx) {
        this.ctx = ctx;
    }

    /** A level event: {@code channels}, {@code peak.0} … (full scale 1.0). */
    void levels(JsonNode data) {
        peaks.setLength(0);
        int channels = Math.min(8, data.path("channels").asInt());
        for (int c = 0; c < channels; c++) {
            double peak = data.path("peak." + c).asDouble();
            peaks.append(peaks.isEmpty() ? "" : " ").append(dbfs(peak));
        }
    }

    /** @return peak in dBFS, one decimal; "-inf" for digital silence */
    static String dbfs(double peak) {
        return peak <= 0 ? "  -inf" : String.format(Locale.ROOT, "%6.1f", 20 * Math.log10(peak));
    }

    void gap(boolean overrun, long frames) {
        if (overrun) {
            overruns++;
        } else {
            xruns++;
        }
    }

    /** The {@code storeSpace} object of a status reply. */
    void space(JsonNode storeSpace) {
        space = storeSpace.isObject() ? Render.bytes(storeSpace.path("usableBytes").asLong()) + " free" : "";
    }

    /** Prints a line of its own (a warning), on any standard error. */
    void say(String message) {
        clear();
        ctx.err.println(message);
    }

    void draw(boolean force) {
        if (!ctx.terminal) {
            return;
        }
        long now = System.nanoTime();
        if (!force && drawn && now - lastDraw < Record.DRAW_NANOS) {
            return;
        }
        lastDraw = now;
        ctx.err.print("\r\u001b[K" + text((now - started) / 1e9));
        ctx.err.flush();
        drawn = true;
    }

    String text(double elapsedSeconds) {
        return "REC " + Render.clock(elapsedSeconds) + (peaks.isEmpty() ? "" : "  peak dBFS " + peaks)
                + "  overruns " + overruns + "  xruns " + xruns + (space.isEmpty() ? "" : "  " + space);
    }

    /** Removes the line (before other output, and at the end). */
    void clear() {
        if (drawn) {
            ctx.err.print("\r\u001b[K");
            ctx.err.flush();
            drawn = false;
        }
    }
}
