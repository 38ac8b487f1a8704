package io.capstan.cli.internal;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A progress bar on standard error, redrawn in place ({@code \r}) at most ten times a second,
 * only when standard error is a terminal: nothing at all is printed otherwise. Fed by the
 * protocol's progress lines ({@code {"id":…,"progress":{"done":…,"total":…}}}).
 */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final Context ctx;
    private final String label;
    private final boolean bytes;
    private boolean drawn;
    private long lastDraw;

    /** @param bytes whether done and total count bytes (shown as such) */
    ProgressBar(Context ctx, String label, boolean bytes) {
        this.ctx = ctx;
        this.label = label;
        this.bytes = bytes;
    }

    /** Takes any line read while waiting for a reply; draws progress lines. */
    void line(JsonNode line) {
        JsonNode p = line.path("progress");
        if (p.isObject()) {
            update(p.path("done").asLong(), p.path("total").asLong());
        }
    }

    void update(long done, long total) {
        if (!ctx.terminal) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int full = (int) Math.round(f * WIDTH);
        String amounts = bytes ? Render.bytes(done) + " of " + Render.bytes(total) : done + " of " + total;
        ctx.err.print(String.format(Locale.ROOT, "\r%s [%s%s] %3d%%  %s\u001b[K", label, "#".repeat(full),
                ".".repeat(WIDTH - full), Math.round(f * 100), amounts));
        ctx.err.flush();
        drawn = true;
    }

    /** Ends the bar's line (when one was drawn). */
    void finish() {
        if (drawn) {
            ctx.err.println();
            drawn = false;
        }
    }
}
