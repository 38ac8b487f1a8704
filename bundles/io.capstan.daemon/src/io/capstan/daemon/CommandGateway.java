package io.capstan.daemon;

import java.nio.file.Path;

/**
 * DS service of the running daemon: the one command handler behind every input, for input
 * bundles such as the HTTP endpoint. Requests and replies are JSON text as in docs/PROTOCOL.md.
 * Threading: thread-safe.
 */
public interface CommandGateway {

    /**
     * Handles one request; never throws.
     *
     * @param request JSON text of one request object
     * @param source  input name for the log ("http", …)
     * @return the reply object as one line of JSON (no newline)
     */
    String handle(String request, String source);

    /** @return the daemon's runtime directory (0700), for files such as {@code http.token} */
    Path runtimeDirectory();

    /** Tells the daemon where its HTTP endpoint listens (shown by {@code status}); null when off. */
    void httpUrl(String url);
}
