package io.capstan.cli;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What every {@code capstan} command talks to: one connection to a Capstan that serves the
 * control protocol (docs/PROTOCOL.md), a running daemon or workstation, or the product the
 * command started in. Requests go out as JSON objects; every line that comes back is a reply
 * ({@code id}, {@code ok}), a progress line ({@code id}, {@code progress}) or an event
 * ({@code topic}). Threading: one reading thread; {@link #send} may be called from another.
 */
public interface Transport extends Closeable {

    /**
     * Sends a request with a fresh id.
     *
     * @param request the request object; its {@code id} is set here
     * @return the id
     * @throws IOException when the connection is gone
     */
    long send(ObjectNode request) throws IOException;

    /**
     * @return the next line from the Capstan, parsed; null when it closed the connection
     * @throws IOException when the connection fails
     */
    JsonNode next() throws IOException;

    /**
     * Sends a request and reads up to its reply.
     *
     * @param others gets every other line read meanwhile: progress lines of this request, events
     * @return the reply object ({@code ok} true with a {@code result}, or false with an {@code error})
     * @throws IOException when the connection closes or fails before the reply
     */
    default JsonNode call(ObjectNode request, Consumer<JsonNode> others) throws IOException {
        long id = send(request);
        while (true) {
            JsonNode line = next();
            if (line == null) {
                throw new IOException("Capstan closed the connection before it answered '"
                        + request.path("cmd").asText() + "'");
            }
            boolean mine = line.has("id") && line.get("id").asLong(-1) == id;
            if (mine && !line.has("progress") || line.has("id") && line.get("id").isNull() && line.has("error")) {
                return line;
            }
            others.accept(line);
        }
    }

    /** Opens connections: each command opens one (and a second one to stop a take on Ctrl-C). */
    @FunctionalInterface
    interface Opener {
        /**
         * @throws Unavailable when no Capstan serves the protocol here
         */
        Transport open() throws Unavailable;
    }

    /** No Capstan to talk to; the message says why and what to do. */
    final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean notRunning;

        /**
         * @param notRunning true when nothing runs (the command can run in a product of its own);
         *                   false when something runs but cannot be reached (starting, hung, crashed)
         */
        public Unavailable(String message, boolean notRunning) {
            super(message);
            this.notRunning = notRunning;
        }

        /** @return true when no Capstan runs, and none left files behind */
        public boolean notRunning() {
            return notRunning;
        }
    }
}
