package io.capstan.daemon.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.transport.fifo.RuntimeDirectories;

/**
 * The fast half of {@code ./capstan}: plain Java, no OSGi framework. Talks to a running daemon
 * for {@code status stop devices record takes export verify events}. Exit status 0 success,
 * 1 failure, 2 wrong usage, and {@link #NO_DAEMON} when no daemon runs and the command works
 * without one (the script then starts the product as before).
 */
public final class CapstanClient {

    /** Exit status meaning "no daemon: run the command in the product instead". */
    public static final int NO_DAEMON = 3;
    private static final Set<String> NEED_DAEMON = Set.of("stop", "events");

    private final PrintStream out;
    private final PrintStream err;
    private final Path dir;

    CapstanClient(Path dir, PrintStream out, PrintStream err) {
        this.dir = dir;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new CapstanClient(RuntimeDirectories.path(), System.out, System.err).run(args));
    }

    int run(String[] args) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--json")) {
                json = true;
            } else if (args[i].startsWith("--")) {
                String key = args[i].substring(2);
                int eq = key.indexOf('=');
                if (eq > 0) {
                    options.put(key.substring(0, eq), key.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    options.put(key, args[++i]);
                } else {
                    err.println("capstan: option --" + key + " needs a value");
                    return 2;
                }
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.isEmpty()) {
            return NO_DAEMON;
        }
        String command = positional.remove(0);
        if (command.equals("events")) {
            return new EventsCommand(dir, out, err, json, options).run();
        }
        try (DaemonConnection c = DaemonConnection.open(dir)) {
            return new DaemonCommands(c, out, err, json).run(command, positional, options);
        } catch (DaemonConnection.NotRunningException e) {
            if (NEED_DAEMON.contains(command)) {
                err.println("capstan: " + e.getMessage());
                return 1;
            }
            if (e.stale()) {
                err.println("capstan: " + e.getMessage());
            }
            return NO_DAEMON;
        } catch (IOException e) {
            err.println("capstan: lost the daemon: " + e.getMessage() + "; see ./capstan status");
            return 1;
        }
    }

    /** Prints an event as one human line: time, topic, then its data as key=value. */
    static String human(JsonNode event) {
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

    static ObjectNode request(String cmd) {
        ObjectNode r = DaemonConnection.JSON.createObjectNode();
        r.put("cmd", cmd);
        return r;
    }
}
