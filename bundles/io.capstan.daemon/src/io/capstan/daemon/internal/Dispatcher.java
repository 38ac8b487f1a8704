package io.capstan.daemon.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs one JSON command for any input (socket, HTTP, inbox, FIFO) and answers with a reply
 * object; never throws. {@code subscribe} is the socket's own and not handled here.
 * Threading: thread-safe.
 */
interface Dispatcher {

    /**
     * @param request the parsed request (any JSON value: non-objects get an error reply)
     * @param source  where it came from ("socket", "http", "inbox", "fifo"), for the log
     */
    ObjectNode handle(JsonNode request, String source);

    /**
     * As {@link #handle(JsonNode, String)}, reporting the progress of long work (export, verify,
     * gc) when the request asks for it with {@code "progress": true}.
     *
     * @param progress takes work done and work in all; returns false when the requester is gone
     *                 (the work is then cancelled)
     */
    default ObjectNode handle(JsonNode request, String source, Progress progress) {
        return handle(request, source);
    }

    /** Where a long request's progress goes (the socket connection that asked). */
    @FunctionalInterface
    interface Progress {
        Progress NONE = (id, done, total) -> true;

        /**
         * @param id the request's id
         * @return false when nobody waits for the reply any more
         */
        boolean report(JsonNode id, long done, long total);
    }

    /** Parses {@code text} as one request and handles it; bad JSON gets a BAD_JSON reply. */
    default ObjectNode handleText(String text, String source) {
        JsonNode request;
        try {
            request = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            return Json.error(null, RequestException.BAD_JSON, "not valid JSON: " + firstLine(e.getMessage())
                    + "; send one JSON object per line, e.g. {\"id\":1,\"cmd\":\"status\"}");
        }
        if (request == null || request.isMissingNode()) {
            return Json.error(null, RequestException.BAD_JSON,
                    "empty request; send one JSON object per line, e.g. {\"id\":1,\"cmd\":\"status\"}");
        }
        return handle(request, source);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
