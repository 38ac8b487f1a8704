package io.capstan.daemon.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code ./capstan record} through the daemon: subscribes to take events first (so the end
 * cannot be missed), starts the take, waits for its STOPPED or FAILED event, then exports.
 */
final class RecordCommand {

    private final DaemonConnection c;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;

    RecordCommand(DaemonConnection c, PrintStream out, PrintStream err, boolean json) {
        this.c = c;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    int run(Map<String, String> options) throws IOException {
        String device = options.get("device");
        String seconds = options.get("seconds");
        if (device == null || seconds == null) {
            err.println("capstan: record needs --device ID and --seconds N");
            return 2;
        }
        ObjectNode start = CapstanClient.request("start");
        start.put("device", device);
        try {
            start.put("seconds", Double.parseDouble(seconds));
            if (options.containsKey("rate")) {
                start.put("rate", Integer.parseInt(options.get("rate")));
            }
            if (options.containsKey("channels")) {
                start.put("channels", Integer.parseInt(options.get("channels")));
            }
        } catch (NumberFormatException e) {
            err.println("capstan: --seconds, --rate and --channels must be numbers: " + e.getMessage());
            return 2;
        }
        if (options.containsKey("format")) {
            start.put("format", options.get("format"));
        }
        ObjectNode subscribe = CapstanClient.request("subscribe");
        subscribe.putArray("topics").add("capstan/take/*").add("capstan/store/*");
        JsonNode reply = c.call(subscribe, e -> { });
        if (!reply.path("ok").asBoolean()) {
            return fail(reply);
        }
        reply = c.call(start, e -> { });
        if (!reply.path("ok").asBoolean()) {
            return fail(reply);
        }
        String take = reply.path("result").path("take").asText();
        err.printf("recording %s (%s) through the daemon: %d frames, take %s%n", device,
                reply.path("result").path("format").asText(), reply.path("result").path("frameLimit").asLong(), take);
        JsonNode end;
        while (true) {
            end = c.read();
            if (end == null) {
                err.println("capstan: the daemon went away while recording take " + take
                        + "; see ./capstan takes once it runs again");
                return 1;
            }
            String topic = end.path("topic").asText();
            if (topic.equals("capstan/store/LOW_SPACE") && take.equals(end.path("data").path("take.id").asText())) {
                err.println("warning: " + end.path("data").path("reason").asText());
                continue;
            }
            if (take.equals(end.path("data").path("take.id").asText())
                    && (topic.endsWith("/STOPPED") || topic.endsWith("/FAILED"))) {
                break;
            }
        }
        JsonNode data = end.path("data");
        ObjectNode ask = CapstanClient.request("take");
        ask.put("take", take);
        JsonNode info = c.call(ask, e -> { });
        JsonNode t = info.path("result");
        if (json) {
            out.println(t);
        } else {
            out.printf("take %s: %d frames, %d chunks, %s, %s%n", take, t.path("frames").asLong(),
                    t.path("chunks").asInt(), t.path("format").asText(), t.path("state").asText());
        }
        if (end.path("topic").asText().endsWith("/FAILED")) {
            err.println("take " + take + " failed: " + data.path("reason").asText());
            return 1;
        }
        String file = options.get("out");
        if (file == null) {
            return 0;
        }
        ObjectNode export = CapstanClient.request("export");
        export.put("take", take);
        export.put("out", Path.of(file).toAbsolutePath().toString());
        JsonNode r = c.call(export, e -> { });
        if (!r.path("ok").asBoolean()) {
            return fail(r);
        }
        JsonNode res = r.path("result");
        out.printf("wrote %s: %d frames, %d bytes%s%n", res.path("file").asText(), res.path("frames").asLong(),
                res.path("bytes").asLong(), res.path("rf64").asBoolean() ? ", RF64" : "");
        return 0;
    }

    private int fail(JsonNode reply) {
        err.println("capstan: " + reply.path("error").path("message").asText() + " ["
                + reply.path("error").path("code").asText() + "]");
        return 1;
    }
}
