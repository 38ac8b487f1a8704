package io.capstan.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.cli.Cli;
import io.capstan.cli.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capstan record}: subscribes to the take's events first (so its end cannot be missed),
 * starts the take, waits for its STOPPED or FAILED event (the frame limit, {@code stop-take},
 * or Ctrl-C / TERM, which stop it), then exports it when {@code --out} is given. On a terminal,
 * one status line on standard error shows the time, the peak level of each channel, the gaps
 * and the store's free space while it records.
 */
@Command(name = "record", description = { "Record a device into the store, for N seconds or until Ctrl-C "
        + "(or 'capstan stop-take TAKE'), and export it to --out.",
        "The take stays in the store whatever happens to the export." })
final class Record extends Verbs.Verb {

    /** How often the status line is redrawn, in ns. */
    static final long DRAW_NANOS = 250_000_000L;
    /** How often the store's free space is asked for while recording, in ns. */
    static final long SPACE_NANOS = 5_000_000_000L;

    @Option(names = "--device", required = true, paramLabel = "DEVICE", description = "Device id, 'default', or the start of its description (capstan devices lists them).")
    String device;

    @Option(names = "--seconds", paramLabel = "N", description = "Record N seconds (exactly N x rate frames); left out: until Ctrl-C or capstan stop-take.")
    Double seconds;

    @Option(names = "--out", paramLabel = "FILE", description = "Export the take to this WAV file when it ends (RF64 above 4 GiB).")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Sample format: F32_LE, S16_LE, S24_LE or S32_LE (default: the device's).")
    String format;

    @Option(names = "--rate", paramLabel = "HZ", description = "Sample rate (default: the device's).")
    Integer rate;

    @Option(names = "--channels", paramLabel = "N", description = "Channels (default: the device's).")
    Integer channels;

    @Option(names = "--convert", description = "Let the backend convert to the format asked for (otherwise a format the device does not have is refused).")
    boolean convert;

    @Option(names = "--backend", paramLabel = "ID", description = "Record through this backend (pipewire, sidecar, …; default: the preferred one that has the device).")
    String backend;

    private final Deque<JsonNode> pending = new ArrayDeque<>();
    private volatile String take;
    private volatile boolean stopAsked;

    Record(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws Exception {
        if (seconds != null && !(seconds > 0)) {
            throw new Exit(Cli.USAGE, "--seconds must be a positive number, was " + seconds
                    + "; leave it out to record until Ctrl-C");
        }
        Path out = file == null ? null : Verbs.checkOut(file);
        try (Transport t = ctx.open();
                Interrupts interrupts = Interrupts.install(ctx, this::stopTake,
                        "interrupted again: leaving now; a take still recording goes on until capstan stop-take")) {
            ObjectNode subscribe = Context.request("subscribe");
            var topics = subscribe.putArray("topics").add("capstan/take/*").add("capstan/store/*");
            if (ctx.terminal) {
                topics.add("capstan/level/*");
            }
            Context.result(t, subscribe);
            JsonNode started = Context.result(t, startRequest(), pending::add);
            take = started.path("take").asText();
            if (stopAsked) {
                stopTake(); // Ctrl-C came while the take started
            }
            long frameLimit = started.path("frameLimit").asLong();
            ctx.err.printf(Locale.ROOT, "recording %s (%s) through %s: %s of %s, take %s%n",
                    started.path("device").asText(), started.path("description").asText("?"),
                    started.path("backend").asText("?"), frameLimit > 0 ? frameLimit + " frames (" + seconds + " s)"
                            : "until Ctrl-C or capstan stop-take " + take, started.path("format").asText(), take);
            JsonNode end = awaitEnd(t, started);
            ObjectNode ask = Context.request("take");
            ask.put("take", take);
            ObjectNode info = (ObjectNode) Context.result(t, ask);
            boolean failed = end.path("topic").asText().endsWith("/FAILED");
            if (!output.json) {
                ctx.out.println(Render.ended(info));
                if (info.path("statistics").isObject()) {
                    ctx.out.println("capture: " + Render.statistics(info.path("statistics")));
                }
            }
            if (failed || frameLimit > 0 && info.path("frames").asLong() != frameLimit) {
                if (output.json) {
                    ctx.out.println(info.toString());
                }
                throw new Exit(Cli.FAILED, "take " + take + (failed ? " failed: " : " did not record " + frameLimit
                        + " frames: ") + end.path("data").path("reason").asText(info.path("reason").asText("?")));
            }
            if (out != null) {
                ObjectNode export = Context.request("export");
                export.put("take", take);
                export.put("out", out.toString());
                JsonNode exported;
                try { // Ctrl-C now cancels the export; the take is kept
                    exported = LongVerbs.cancellable(ctx, t, export, new ProgressBar(ctx, "exporting", true), "export",
                            out.resolveSibling(out.getFileName() + ".part"));
                } catch (Exit e) {
                    if (output.json) {
                        ctx.out.println(info.toString());
                    }
                    throw new Exit(e.status() == Cli.INTERRUPTED ? Cli.INTERRUPTED : Cli.FAILED, e.getMessage()
                            + "; the take " + take + " is kept in the store: capstan export " + take + " --out FILE");
                }
                info.set("export", exported);
                if (!output.json) {
                    ctx.out.println(Render.exported(exported));
                }
            }
            if (output.json) {
                ctx.out.println(info.toString());
            }
            return Cli.OK;
        }
    }

    private ObjectNode startRequest() {
        ObjectNode start = Context.request("start");
        start.put("device", device);
        if (seconds != null) {
            start.put("seconds", seconds);
        }
        if (rate != null) {
            start.put("rate", rate);
        }
        if (channels != null) {
            start.put("channels", channels);
        }
        if (format != null) {
            start.put("format", format);
        }
        if (backend != null) {
            start.put("backend", backend);
        }
        if (convert) {
            start.put("convert", true);
        }
        return start;
    }

    /** First Ctrl-C or TERM: stop the take through a connection of its own (this one is reading). */
    private void stopTake() {
        stopAsked = true;
        String id = take;
        if (id == null) {
            return; // not started yet: stopped as soon as it is
        }
        try (Transport t = ctx.opener.open()) {
            ObjectNode stop = Context.request("stop-take");
            stop.put("take", id);
            stop.put("wait", false);
            t.call(stop, line -> { });
        } catch (Transport.Unavailable | IOException e) {
            ctx.err.println("capstan: cannot stop take " + id + ": " + e.getMessage());
        }
    }

    /** Reads events until the take's STOPPED or FAILED, drawing the status line meanwhile. */
    private JsonNode awaitEnd(Transport t, JsonNode started) throws IOException, Exit {
        RecordingLine line = new RecordingLine(ctx);
        long nextSpace = System.nanoTime();
        long spaceRequest = -1;
        try {
            while (true) {
                if (ctx.terminal && System.nanoTime() - nextSpace >= 0 && spaceRequest < 0) {
                    spaceRequest = t.send(Context.request("status"));
                    nextSpace = System.nanoTime() + SPACE_NANOS;
                }
                JsonNode e = pending.isEmpty() ? t.next() : pending.poll();
                if (e == null) {
                    throw new Exit(Cli.FAILED, "lost Capstan while recording take " + take
                            + "; see capstan takes once it runs again");
                }
                if (e.has("id")) {
                    if (e.path("id").asLong() == spaceRequest) {
                        spaceRequest = -1;
                        line.space(e.path("result").path("storeSpace"));
                    }
                    continue;
                }
                String topic = e.path("topic").asText();
                JsonNode data = e.path("data");
                if (!take.equals(data.path("take.id").asText())) {
                    continue;
                }
                switch (topic) {
                    case "capstan/level/UPDATE" -> line.levels(data);
                    case "capstan/take/XRUN" -> line.gap(false, data.path("frames").asLong());
                    case "capstan/take/OVERRUN" -> line.gap(true, data.path("frames").asLong());
                    case "capstan/store/LOW_SPACE" -> line.say("warning: " + data.path("reason").asText());
                    case "capstan/take/STOPPED", "capstan/take/FAILED" -> {
                        return e;
                    }
                    default -> {
                        // other events of this take (STARTED): nothing to show
                    }
                }
                line.draw(false);
            }
        } finally {
            line.clear();
        }
    }
}
