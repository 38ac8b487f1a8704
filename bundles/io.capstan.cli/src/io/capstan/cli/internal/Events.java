package io.capstan.cli.internal;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.cli.Cli;
import io.capstan.cli.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capstan events}: prints the running daemon's events as they arrive; when the daemon goes
 * away it reconnects with backoff (0.2 s doubling to 5 s) and resumes after the last {@code seq}
 * it printed, so nothing is missed that the daemon still holds (a gap line says when it does not).
 * Needs a running daemon or workstation (exit 3 without).
 */
@Command(name = "events", description = "Print the running daemon's events as they come (reconnects and resumes; needs a daemon).")
final class Events extends Verbs.Verb {

    static final long FIRST_BACKOFF_MILLIS = 200;
    static final long MAX_BACKOFF_MILLIS = 5000;

    @Option(names = "--topics", split = ",", paramLabel = "TOPIC", description = "Only these topics: exact, or prefix/* (e.g. capstan/take/*).")
    List<String> topics;

    @Option(names = "--since", paramLabel = "SEQ", description = "Start after event SEQ (0: everything the daemon still holds); default: new events only.")
    Long since;

    Events(Context ctx) {
        super(ctx);
    }

    @Override
    public Integer call() throws Exception {
        if (since != null && since < 0) {
            throw new Exit(Cli.USAGE, "--since must be an event sequence number (0 or more), was " + since);
        }
        Long cursor = since;
        String epoch = null;
        boolean connectedOnce = false;
        long backoff = FIRST_BACKOFF_MILLIS;
        while (true) {
            try (Transport t = connectedOnce ? ctx.opener.open() : ctx.openRunning()) {
                ObjectNode subscribe = Context.request("subscribe");
                if (cursor != null) {
                    subscribe.put("since", cursor);
                }
                if (epoch != null) {
                    subscribe.put("epoch", epoch);
                }
                if (topics != null) {
                    ArrayNode list = subscribe.putArray("topics");
                    topics.forEach(topic -> list.add(topic.trim()));
                }
                JsonNode result = Context.result(t, subscribe);
                epoch = result.path("epoch").asText();
                if (cursor == null) {
                    cursor = result.path("last").asLong();
                }
                if (connectedOnce) {
                    ctx.err.println("capstan: reconnected; resuming after event " + cursor);
                }
                connectedOnce = true;
                backoff = FIRST_BACKOFF_MILLIS;
                JsonNode event;
                while ((event = t.next()) != null) {
                    if (event.has("seq")) {
                        cursor = event.get("seq").asLong();
                    } else if (event.path("data").has("epoch")) {
                        cursor = 0L;
                    }
                    ctx.out.println(output.json ? event.toString() : Render.event(event));
                    ctx.out.flush();
                }
                ctx.err.println("capstan: the daemon closed the stream; reconnecting");
            } catch (Transport.Unavailable e) {
                // gone between two connections: try again
            } catch (IOException e) {
                if (!connectedOnce) {
                    throw e;
                }
                ctx.err.println("capstan: lost the daemon (" + e.getMessage() + "); reconnecting");
            }
            Thread.sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }
}
