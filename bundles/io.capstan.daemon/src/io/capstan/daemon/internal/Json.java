package io.capstan.daemon.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The daemon's one JSON mapper (thread-safe once configured) and reply builders. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** {@code {"id":…,"ok":true,"result":…}} */
    static ObjectNode ok(JsonNode id, JsonNode result) {
        ObjectNode reply = object();
        reply.set("id", id == null ? NODES.nullNode() : id);
        reply.put("ok", true);
        reply.set("result", result == null ? NODES.nullNode() : result);
        return reply;
    }

    /** {@code {"id":…,"ok":false,"error":{"code":…,"message":…}}} */
    static ObjectNode error(JsonNode id, String code, String message) {
        ObjectNode reply = object();
        reply.set("id", id == null ? NODES.nullNode() : id);
        reply.put("ok", false);
        ObjectNode error = reply.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return reply;
    }

    /** One line of JSON without the newline. */
    static String line(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
