package io.capstan.cli.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.cli.Cli;
import io.capstan.cli.Transport;

/**
 * What every command gets: where to connect, where to print, whether standard error is a
 * terminal (live status lines and progress bars) and whether debugging was asked for.
 */
public final class Context {

    static final ObjectMapper JSON = new ObjectMapper();

    final Transport.Opener opener;
    final boolean inProduct;
    final PrintStream out;
    final PrintStream err;
    /** Standard error is a terminal ({@code CAPSTAN_TTY=1}, set by the capstan script from {@code [ -t 2 ]}). */
    final boolean terminal;
    /** {@code CAPSTAN_DEBUG=1}: stack traces on failures. */
    final boolean debug;

    public Context(Transport.Opener opener, boolean inProduct, PrintStream out, PrintStream err,
            Map<String, String> env) {
        this.opener = opener;
        this.inProduct = inProduct;
        this.out = out;
        this.err = err;
        this.terminal = "1".equals(env.get("CAPSTAN_TTY"));
        this.debug = "1".equals(env.get("CAPSTAN_DEBUG"));
    }

    /**
     * Connects for a command that also runs without a daemon (in the product).
     *
     * @throws Exit {@link Cli#RUN_IN_PRODUCT} on the plain path when nothing runs;
     *              {@link Cli#UNAVAILABLE} when a Capstan runs and cannot be reached
     */
    Transport open() throws Exit {
        try {
            return opener.open();
        } catch (Transport.Unavailable e) {
            if (e.notRunning() && !inProduct) {
                if (e.getMessage().contains("stale")) {
                    err.println("capstan: note: " + e.getMessage());
                }
                throw new Exit(Cli.RUN_IN_PRODUCT, null);
            }
            throw new Exit(Cli.UNAVAILABLE, e.getMessage());
        }
    }

    /** Connects for a command that needs a running daemon ({@code stop}, {@code events}, {@code stop-take}). */
    Transport openRunning() throws Exit {
        try {
            return opener.open();
        } catch (Transport.Unavailable e) {
            throw new Exit(Cli.UNAVAILABLE, e.getMessage());
        }
    }

    static ObjectNode request(String cmd) {
        ObjectNode r = JSON.createObjectNode();
        r.put("cmd", cmd);
        return r;
    }

    /**
     * Sends a request and returns its result.
     *
     * @throws Exit with the error's message and status when the reply is an error
     */
    static JsonNode result(Transport t, ObjectNode request, java.util.function.Consumer<JsonNode> others)
            throws Exit, IOException {
        JsonNode reply = t.call(request, others);
        if (!reply.path("ok").asBoolean()) {
            throw Exit.of(reply.path("error"));
        }
        return reply.path("result");
    }

    static JsonNode result(Transport t, ObjectNode request) throws Exit, IOException {
        return result(t, request, line -> { });
    }
}
