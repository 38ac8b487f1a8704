package io.capstan.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.cli.Transport;

/**
 * A fake Capstan behind {@link Transport}: answers each request with the lines its handler gives
 * (progress lines, events, the reply), records every request. Plain logic for unit tests; the
 * product tests talk to the real one.
 */
final class FakeCapstan implements Transport.Opener {

    static final ObjectMapper JSON = new ObjectMapper();

    final List<ObjectNode> requests = new ArrayList<>();
    private final Map<String, Function<ObjectNode, List<JsonNode>>> handlers = new HashMap<>();
    /** null: running; else why it is unavailable. */
    Transport.Unavailable unavailable;

    /** Answers {@code cmd} with ok and this result. */
    FakeCapstan ok(String cmd, String resultJson) {
        return on(cmd, r -> List.of(reply(r, resultJson)));
    }

    FakeCapstan on(String cmd, Function<ObjectNode, List<JsonNode>> handler) {
        handlers.put(cmd, handler);
        return this;
    }

    static JsonNode reply(ObjectNode request, String resultJson) {
        ObjectNode r = JSON.createObjectNode();
        r.set("id", request.get("id"));
        r.put("ok", true);
        r.set("result", tree(resultJson));
        return r;
    }

    static JsonNode error(ObjectNode request, String code, String message) {
        ObjectNode r = JSON.createObjectNode();
        r.set("id", request.get("id"));
        r.put("ok", false);
        r.putObject("error").put("code", code).put("message", message);
        return r;
    }

    static JsonNode event(String topic, String dataJson) {
        ObjectNode e = JSON.createObjectNode();
        e.put("topic", topic);
        e.put("time", "2026-12-03T12:00:00Z");
        e.set("data", tree(dataJson));
        return e;
    }

    static JsonNode progress(ObjectNode request, long done, long total) {
        ObjectNode p = JSON.createObjectNode();
        p.set("id", request.get("id"));
        p.putObject("progress").put("done", done).put("total", total);
        return p;
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json.replace('\'', '"'));
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** @return the requests of this command, in order */
    List<ObjectNode> requests(String cmd) {
        return requests.stream().filter(r -> r.path("cmd").asText().equals(cmd)).toList();
    }

    @Override
    public Transport open() throws Transport.Unavailable {
        if (unavailable != null) {
            throw unavailable;
        }
        return new Transport() {
            private final Deque<JsonNode> lines = new ArrayDeque<>();
            private long ids;

            @Override
            public long send(ObjectNode request) {
                request.put("id", ++ids);
                requests.add(request.deepCopy());
                Function<ObjectNode, List<JsonNode>> h = handlers.get(request.path("cmd").asText());
                lines.addAll(h != null ? h.apply(request)
                        : List.of(error(request, "UNKNOWN_COMMAND", "the fake has no " + request.path("cmd"))));
                return ids;
            }

            @Override
            public JsonNode next() {
                return lines.poll(); // null: the fake has nothing more to say (closed)
            }

            @Override
            public void close() {
                lines.clear();
            }
        };
    }

    /** One run of the command line: its exit status and what it printed. */
    record Run(int status, String out, String err) {
    }

    Run run(boolean inProduct, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = Root.run(args, new Context(this, inProduct, o, e, Map.of("CAPSTAN_TTY", terminal ? "1" : "0")));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Run run(String... args) {
        return run(false, false, args);
    }
}
