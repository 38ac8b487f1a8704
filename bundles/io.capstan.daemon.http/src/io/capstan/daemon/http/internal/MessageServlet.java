package io.capstan.daemon.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.capstan.daemon.CommandGateway;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /health} (no token), {@code POST /message} (one request object → its reply) and
 * {@code POST /messages} (a JSON array of requests → an array of replies, one per request, in
 * order). Every request must name localhost, 127.0.0.1 or [::1] in its Host header (403
 * otherwise: DNS rebinding); {@code /message(s)} need {@code Authorization: Bearer <http.token>}
 * (401), {@code Content-Type: application/json} (415) and a body within the bound (413).
 * Threading: Jetty's threads; stateless.
 */
final class MessageServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final transient CommandGateway gateway;
    private final String token;
    private final int maxBody;

    MessageServlet(CommandGateway gateway, String token, int maxBody) {
        this.gateway = gateway;
        this.token = token;
        this.maxBody = maxBody;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        if (!HOSTS.contains(host(req.getHeader("Host")))) {
            send(resp, 403, error("FORBIDDEN_HOST", "Host must be localhost, 127.0.0.1 or [::1]"));
            return;
        }
        if (path.equals("/health")) {
            if (!req.getMethod().equals("GET")) {
                send(resp, 405, error("METHOD", "use GET /health"));
                return;
            }
            send(resp, 200, "{\"status\":\"ok\"}");
            return;
        }
        if (!path.equals("/message") && !path.equals("/messages")) {
            send(resp, 404, error("NOT_FOUND", "endpoints: GET /health, POST /message, POST /messages"));
            return;
        }
        String auth = req.getHeader("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !BearerToken.matches(token, auth.substring(7).trim())) {
            resp.setHeader("WWW-Authenticate", "Bearer");
            send(resp, 401, error("UNAUTHORIZED",
                    "send Authorization: Bearer <token>; the token is in $XDG_RUNTIME_DIR/capstan/http.token"));
            return;
        }
        if (!req.getMethod().equals("POST")) {
            send(resp, 405, error("METHOD", "use POST " + path));
            return;
        }
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            send(resp, 415, error("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json"));
            return;
        }
        if (req.getContentLengthLong() > maxBody) {
            send(resp, 413, error("TOO_LARGE", "body larger than " + maxBody + " bytes"));
            return;
        }
        String body = read(req.getInputStream());
        if (body == null) {
            send(resp, 413, error("TOO_LARGE", "body larger than " + maxBody + " bytes"));
            return;
        }
        if (path.equals("/message")) {
            String reply = gateway.handle(body, "http");
            send(resp, reply.contains("\"ok\":true") ? 200 : status(reply), reply);
            return;
        }
        send(resp, 200, batch(body));
    }

    private String batch(String body) {
        JsonNode items;
        try {
            items = MAPPER.readTree(body);
        } catch (IOException e) {
            items = null;
        }
        if (items != null && items.isObject() && items.path("messages").isArray()) {
            items = items.get("messages");
        }
        if (items == null || !items.isArray()) {
            return "[" + error("BAD_REQUEST", "POST /messages takes a JSON array of request objects (or "
                    + "{\\\"messages\\\":[...]})") + "]";
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "" : ",").append(gateway.handle(items.get(i).toString(), "http"));
        }
        return out.append(']').toString();
    }

    private static int status(String reply) {
        if (reply.contains("\"code\":\"INTERNAL\"")) {
            return 500;
        }
        if (reply.contains("\"code\":\"UNKNOWN_TAKE\"") || reply.contains("\"code\":\"UNKNOWN_DEVICE\"")) {
            return 404;
        }
        return 400;
    }

    private String read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (out.size() > maxBody) {
                return null;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String host(String header) {
        if (header == null) {
            return "";
        }
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static String error(String code, String message) {
        return "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    private static void send(HttpServletResponse resp, int status, String json) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.getWriter().write(json);
        resp.getWriter().write("\n");
    }
}
