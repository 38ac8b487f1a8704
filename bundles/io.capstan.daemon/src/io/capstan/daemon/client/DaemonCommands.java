package io.capstan.daemon.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The CLI commands over the socket, printing the same lines as the product's commands
 * ({@code --json}: the reply's result as it is). Threading: one thread.
 */
final class DaemonCommands {

    private final DaemonConnection c;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;

    DaemonCommands(DaemonConnection c, PrintStream out, PrintStream err, boolean json) {
        this.c = c;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    int run(String command, List<String> positional, Map<String, String> options) throws IOException {
        switch (command) {
            case "status":
                return simple(CapstanClient.request("status"), this::printStatus);
            case "stop":
                return stop();
            case "devices":
                return simple(CapstanClient.request("devices"), this::printDevices);
            case "takes":
                return simple(CapstanClient.request("takes"), this::printTakes);
            case "export": {
                if (positional.size() != 1 || options.get("out") == null) {
                    err.println("capstan: usage: capstan export TAKE --out FILE.wav");
                    return 2;
                }
                ObjectNode r = CapstanClient.request("export");
                r.put("take", positional.get(0));
                r.put("out", Path.of(options.get("out")).toAbsolutePath().toString());
                return simple(r, res -> out.printf("wrote %s: %d frames, %d bytes%s%n", res.path("file").asText(),
                        res.path("frames").asLong(), res.path("bytes").asLong(),
                        res.path("rf64").asBoolean() ? ", RF64" : ""));
            }
            case "verify": {
                ObjectNode r = CapstanClient.request("verify");
                if (!positional.isEmpty()) {
                    r.put("take", positional.get(0));
                }
                JsonNode reply = c.call(r, e -> { });
                if (!reply.path("ok").asBoolean()) {
                    return failed(reply);
                }
                JsonNode res = reply.get("result");
                if (json) {
                    out.println(res);
                } else {
                    for (JsonNode p : res.path("problems")) {
                        out.printf("BAD  take %s chunk %d: expected %s, found %s%n", p.path("take").asText(),
                                p.path("chunk").asInt(), p.path("expected").asText(), p.path("actual").asText());
                    }
                    out.printf("%s: %d takes, %d chunks checked, %d bad%n", res.path("ok").asBoolean() ? "OK" : "FAILED",
                            res.path("takes").asInt(), res.path("chunks").asInt(), res.path("problems").size());
                }
                return res.path("ok").asBoolean() ? 0 : 1;
            }
            case "record":
                return new RecordCommand(c, out, err, json).run(options);
            default:
                return CapstanClient.NO_DAEMON;
        }
    }

    private int simple(ObjectNode request, java.util.function.Consumer<JsonNode> printer) throws IOException {
        JsonNode reply = c.call(request, e -> { });
        if (!reply.path("ok").asBoolean()) {
            return failed(reply);
        }
        if (json) {
            out.println(reply.get("result"));
        } else {
            printer.accept(reply.get("result"));
        }
        return 0;
    }

    int failed(JsonNode reply) {
        err.println("capstan: " + reply.path("error").path("message").asText() + " ["
                + reply.path("error").path("code").asText() + "]");
        return 1;
    }

    private int stop() throws IOException {
        JsonNode reply = c.call(CapstanClient.request("stop"), e -> { });
        if (!reply.path("ok").asBoolean()) {
            return failed(reply);
        }
        int recording = reply.path("result").path("recording").asInt();
        err.println("capstan: daemon stopping" + (recording > 0 ? " (sealing " + recording + " take(s))" : ""));
        // The daemon closes the connection once it shut its socket down.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && c.read() != null) {
            // drain until the daemon closes
        }
        out.println("daemon stopped");
        return 0;
    }

    private void printStatus(JsonNode s) {
        out.printf("daemon %s, pid %d, up %.0f s%n", s.path("state").asText(), s.path("pid").asLong(),
                s.path("uptimeSeconds").asDouble());
        out.println("socket: " + s.path("socket").asText());
        out.println("http: " + (s.path("http").isNull() ? "off" : s.path("http").asText()));
        JsonNode space = s.path("storeSpace");
        out.println("store: " + s.path("store").asText()
                + (space.isMissingNode() ? "" : " (" + space.path("summary").asText() + ")"));
        if (space.hasNonNull("problem")) {
            out.println("store cannot record: " + space.path("problem").asText());
        }
        for (JsonNode w : space.path("warnings")) {
            out.println("store warning: " + w.asText());
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

    private void printDevices(JsonNode devices) {
        int width = 0;
        for (JsonNode d : devices) {
            width = Math.max(width, d.path("id").asText().length());
        }
        for (JsonNode d : devices) {
            StringBuilder positions = new StringBuilder();
            d.path("positions").forEach(p -> positions.append(positions.isEmpty() ? " [" : " ").append(p.asText()));
            out.printf("%-" + Math.max(1, width) + "s  %dch%s  %d Hz  %s  %s%n", d.path("id").asText(),
                    d.path("channels").asInt(), positions.isEmpty() ? "" : positions + "]", d.path("rate").asInt(),
                    d.path("backend").asText(), d.path("description").asText());
        }
        if (devices.isEmpty()) {
            err.println("no capture devices found (see ./capstan status for the backends' problems)");
        }
    }

    private void printTakes(JsonNode takes) {
        for (JsonNode t : takes) {
            out.printf("%s  %-9s  %8.2f s  %4d chunks  %s  %s%n", t.path("take").asText(), t.path("state").asText(),
                    t.path("seconds").asDouble(), t.path("chunks").asInt(), t.path("format").asText(),
                    t.path("device").asText());
        }
    }
}
