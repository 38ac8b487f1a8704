package io.capstan.daemon.client;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code ./capstan events [--json] [--topics a,b] [--since N]}: prints events as they arrive,
 * one persistent reader per connection; when the daemon goes away it reconnects with backoff
 * (0.2 s doubling to 5 s) and resumes after the last {@code seq} it printed, so nothing is
 * missed that the daemon still holds (a gap line says when it does not).
 */
final class EventsCommand {

    static final long FIRST_BACKOFF_MILLIS = 200;
    static final long MAX_BACKOFF_MILLIS = 5000;

    private final Path dir;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final Map<String, String> options;

    EventsCommand(Path dir, PrintStream out, PrintStream err, boolean json, Map<String, String> options) {
        this.dir = dir;
        this.out = out;
        this.err = err;
        this.json = json;
        this.options = options;
    }

    int run() {
        Long since = null;
        String epoch = null;
        if (options.containsKey("since")) {
            try {
                since = Long.parseLong(options.get("since"));
            } catch (NumberFormatException e) {
                err.println("capstan: --since must be a sequence number");
                return 2;
            }
        }
        boolean connectedOnce = false;
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            try (DaemonConnection c = DaemonConnection.open(dir)) {
                ObjectNode subscribe = CapstanClient.request("subscribe");
                if (since != null) {
                    subscribe.put("since", since);
                }
                if (epoch != null) {
                    subscribe.put("epoch", epoch);
                }
                if (options.containsKey("topics")) {
                    ArrayNode topics = subscribe.putArray("topics");
                    for (String t : options.get("topics").split(",")) {
                        topics.add(t.trim());
                    }
                }
                JsonNode reply = c.call(subscribe, e -> { });
                if (!reply.path("ok").asBoolean()) {
                    err.println("capstan: " + reply.path("error").path("message").asText());
                    return 1;
                }
                epoch = reply.path("result").path("epoch").asText();
                if (since == null) {
                    since = reply.path("result").path("last").asLong();
                }
                if (connectedOnce) {
                    err.println("capstan: reconnected; resuming after event " + since);
                }
                connectedOnce = true;
                backoff = FIRST_BACKOFF_MILLIS;
                JsonNode event;
                while ((event = c.read()) != null) {
                    if (event.has("seq")) {
                        since = event.get("seq").asLong();
                    } else if (event.path("data").has("epoch")) {
                        since = 0L;
                    }
                    out.println(json ? event.toString() : CapstanClient.human(event));
                    out.flush();
                }
                err.println("capstan: the daemon closed the stream; reconnecting");
            } catch (DaemonConnection.NotRunningException e) {
                if (!connectedOnce) {
                    err.println("capstan: " + e.getMessage());
                    return 1;
                }
            } catch (IOException e) {
                if (!connectedOnce) {
                    err.println("capstan: " + e.getMessage());
                    return 1;
                }
                err.println("capstan: lost the daemon (" + e.getMessage() + "); reconnecting");
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }
}
