package io.capstan.daemon.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed access to a request's arguments; wrong or missing ones become BAD_ARGUMENT. */
final class Args {

    private final JsonNode request;
    private final String cmd;

    Args(JsonNode request, String cmd) {
        this.request = request;
        this.cmd = cmd;
    }

    String text(String name) throws RequestException {
        String v = optionalText(name);
        if (v == null || v.isBlank()) {
            throw new RequestException(RequestException.BAD_ARGUMENT,
                    cmd + " needs \"" + name + "\" (a string)" + hint(name));
        }
        return v;
    }

    String optionalText(String name) throws RequestException {
        JsonNode v = request.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new RequestException(RequestException.BAD_ARGUMENT,
                    "\"" + name + "\" of " + cmd + " must be a string, was " + v.getNodeType().name().toLowerCase()
                            + hint(name));
        }
        return v.asText();
    }

    Double optionalNumber(String name) throws RequestException {
        JsonNode v = request.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new RequestException(RequestException.BAD_ARGUMENT,
                    "\"" + name + "\" of " + cmd + " must be a number, was " + v.getNodeType().name().toLowerCase());
        }
        return v.asDouble();
    }

    Integer optionalInt(String name) throws RequestException {
        JsonNode v = request.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new RequestException(RequestException.BAD_ARGUMENT,
                    "\"" + name + "\" of " + cmd + " must be a whole number, was " + v);
        }
        return v.asInt();
    }

    Long optionalLong(String name) throws RequestException {
        JsonNode v = request.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new RequestException(RequestException.BAD_ARGUMENT,
                    "\"" + name + "\" of " + cmd + " must be a whole number >= 0, was " + v);
        }
        return v.asLong();
    }

    boolean flag(String name, boolean fallback) throws RequestException {
        JsonNode v = request.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw new RequestException(RequestException.BAD_ARGUMENT,
                    "\"" + name + "\" of " + cmd + " must be true or false, was " + v);
        }
        return v.asBoolean();
    }

    JsonNode raw(String name) {
        return request.get(name);
    }

    private static String hint(String name) {
        return switch (name) {
            case "device" -> "; list devices with {\"cmd\":\"devices\"}";
            case "take" -> "; list takes with {\"cmd\":\"takes\"}";
            default -> "";
        };
    }
}
