package io.capstan.cli.internal;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.capstan.api.StoreHealth;

/**
 * The human renderings of protocol results, one per kind of result: the lines a person reads.
 * {@code --json} prints the result itself instead.
 */
final class Render {

    private Render() {
    }

    /** One line per device: id, channels [positions], rate, backend, description (ids aligned). */
    static void devices(PrintStream out, JsonNode devices) {
        int width = 1;
        for (JsonNode d : devices) {
            width = Math.max(width, d.path("id").asText().length());
        }
        for (JsonNode d : devices) {
            out.println(device(d, width));
        }
    }

    static String device(JsonNode d, int width) {
        StringBuilder positions = new StringBuilder();
        d.path("positions").forEach(p -> positions.append(positions.isEmpty() ? " [" : " ").append(p.asText()));
        return String.format(Locale.ROOT, "%-" + width + "s  %dch%s  %d Hz  %s  %s", d.path("id").asText(),
                d.path("channels").asInt(), positions.isEmpty() ? "" : positions + "]", d.path("rate").asInt(),
                d.path("backend").asText(), d.path("description").asText());
    }

    /** One line per take: id, state, seconds, chunks, format, device. */
    static void takes(PrintStream out, JsonNode takes) {
        for (JsonNode t : takes) {
            out.println(take(t));
        }
    }

    static String take(JsonNode t) {
        return String.format(Locale.ROOT, "%s  %-9s  %8.2f s  %4d chunks  %s  %s", t.path("take").asText(),
                t.path("state").asText(), t.path("seconds").asDouble(), t.path("chunks").asInt(),
                t.path("format").asText(), t.path("device").asText());
    }

    /** A take in full: what {@code take ID} prints. */
    static void takeDetail(PrintStream out, JsonNode t) {
        out.println("take " + t.path("take").asText() + ": " + t.path("state").asText()
                + (t.hasNonNull("reason") ? " (" + t.path("reason").asText() + ")" : ""));
        out.println("  device:  " + t.path("device").asText() + (t.hasNonNull("description")
                ? " (" + t.path("description").asText() + ")" : "") + (t.hasNonNull("backend")
                        ? " through " + t.path("backend").asText() : ""));
        out.printf(Locale.ROOT, "  audio:   %d frames, %.3f s of %s in %d chunks%n", t.path("frames").asLong(),
                t.path("seconds").asDouble(), t.path("format").asText(), t.path("chunks").asInt());
        out.println("  started: " + t.path("startedAt").asText("?") + (t.hasNonNull("endedAt")
                ? ", ended " + t.path("endedAt").asText() : ""));
        JsonNode s = t.path("statistics");
        if (s.isObject()) {
            out.println("  capture: " + statistics(s));
        }
        if (t.hasNonNull("note")) {
            out.println("  note:    " + t.path("note").asText());
        }
    }

    static String statistics(JsonNode s) {
        return String.format(Locale.ROOT, "%d callbacks, %d overruns (%d frames), %d xruns (%d frames), "
                + "longest callback %.2f ms, p99 %.2f ms", s.path("callbacks").asLong(), s.path("overruns").asLong(),
                s.path("overrunFrames").asLong(), s.path("xruns").asLong(), s.path("xrunFrames").asLong(),
                s.path("longestCallbackNanos").asLong() / 1e6, s.path("p99CallbackNanos").asLong() / 1e6);
    }

    /** The line after a take ended. */
    static String ended(JsonNode t) {
        return String.format(Locale.ROOT, "take %s: %d frames (%.3f s), %d chunks, %s, %s%s", t.path("take").asText(),
                t.path("frames").asLong(), t.path("seconds").asDouble(), t.path("chunks").asInt(),
                t.path("format").asText(), t.path("state").asText(),
                t.hasNonNull("backend") ? ", backend " + t.path("backend").asText() : "");
    }

    static String exported(JsonNode r) {
        return String.format(Locale.ROOT, "wrote %s: %d frames, %d bytes%s", r.path("file").asText(),
                r.path("frames").asLong(), r.path("bytes").asLong(), r.path("rf64").asBoolean() ? ", RF64" : "");
    }

    static void verified(PrintStream out, JsonNode r) {
        for (JsonNode p : r.path("problems")) {
            out.printf("BAD  take %s chunk %d: expected %s, found %s%n", p.path("take").asText(),
                    p.path("chunk").asInt(), p.path("expected").asText(), p.path("actual").asText());
        }
        out.printf("%s: %d takes, %d chunks checked, %d bad%n", r.path("ok").asBoolean() ? "OK" : "FAILED",
                r.path("takes").asInt(), r.path("chunks").asInt(), r.path("problems").size());
    }

    static String collected(JsonNode g, long graceSeconds) {
        return String.format(Locale.ROOT, "gc: %d objects, %d referenced, %d deleted (%s freed), %d unreferenced kept"
                + " (stored in the last %d s or while gc ran)%s", g.path("objects").asLong(),
                g.path("referenced").asLong(), g.path("deleted").asLong(), bytes(g.path("bytesFreed").asLong()),
                g.path("keptYoung").asLong(), graceSeconds, g.path("temporaries").asLong() > 0
                        ? ", " + g.path("temporaries").asLong() + " temporary files of dead processes removed" : "");
    }

    static void status(PrintStream out, JsonNode s) {
        String mode = s.path("mode").asText("daemon");
        if (mode.equals("command")) {
            out.println("capstan: no daemon runs; this command ran in a Capstan of its own (pid "
                    + s.path("pid").asLong() + ")");
        } else {
            out.printf(Locale.ROOT, "%s %s, pid %d, up %.0f s%n", mode, s.path("state").asText(),
                    s.path("pid").asLong(), s.path("uptimeSeconds").asDouble());
            out.println("socket: " + s.path("socket").asText());
            out.println("http: " + (s.path("http").isNull() ? "off" : s.path("http").asText()));
        }
        JsonNode space = s.path("storeSpace");
        out.println("store: " + s.path("store").asText()
                + (space.isMissingNode() ? "" : " (" + space.path("summary").asText() + ")"));
        if (space.hasNonNull("problem")) {
            out.println("store cannot record: " + space.path("problem").asText());
        }
        for (JsonNode w : space.path("warnings")) {
            out.println("store warning: " + w.asText());
        }
        out.println("dropins: " + (s.hasNonNull("dropins") ? s.path("dropins").asText()
                + " (bundles dropped here are installed and started; deleting one uninstalls it)"
                : "none (Felix FileInstall is not configured)"));
        JsonNode settings = s.path("settings");
        if (settings.isObject() && settings.size() > 0) {
            StringBuilder b = new StringBuilder("settings:");
            Iterator<Map.Entry<String, JsonNode>> fields = settings.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                b.append(' ').append(f.getKey()).append('=').append(f.getValue().isTextual()
                        ? f.getValue().asText() : f.getValue().toString());
            }
            out.println(b);
        }
        for (JsonNode b : s.path("backends")) {
            out.printf("backend %s: %d devices%s%n", b.path("id").asText(), b.path("devices").asInt(),
                    b.path("problem").isNull() ? "" : " (" + b.path("problem").asText() + ")");
        }
        JsonNode recording = s.path("recording");
        out.println(recording.isEmpty() ? "idle" : "recording " + recording.size() + " take(s)");
        for (JsonNode t : recording) {
            out.printf("  %s  %s  %d frames  %d chunks  %s%n", t.path("take").asText(), t.path("state").asText(),
                    t.path("frames").asLong(), t.path("chunks").asInt(), t.path("device").asText());
        }
    }

    /** An event as one line: sequence, time, topic, then its data as key=value. */
    static String event(JsonNode event) {
        StringBuilder b = new StringBuilder();
        if (event.has("seq")) {
            b.append('#').append(event.get("seq").asLong()).append("  ");
        }
        b.append(event.path("time").asText("")).append("  ").append(event.path("topic").asText("?"));
        Iterator<Map.Entry<String, JsonNode>> fields = event.path("data").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            b.append("  ").append(f.getKey()).append('=').append(f.getValue().isTextual() ? f.getValue().asText()
                    : f.getValue().toString());
        }
        return b.toString();
    }

    /** Bytes for people, as the store says them ({@link StoreHealth#bytes}). */
    static String bytes(long n) {
        return StoreHealth.bytes(n);
    }

    /** Seconds as h:mm:ss.t (or m:ss.t under an hour). */
    static String clock(double seconds) {
        long tenths = Math.round(seconds * 10);
        long h = tenths / 36000;
        long m = tenths / 600 % 60;
        double s = tenths % 600 / 10.0;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%04.1f", h, m, s)
                : String.format(Locale.ROOT, "%d:%04.1f", m, s);
    }
}
