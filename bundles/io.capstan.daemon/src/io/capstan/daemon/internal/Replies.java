package io.capstan.daemon.internal;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.api.ActiveTake;
import io.capstan.api.CapstanException;
import io.capstan.api.ChunkRef;
import io.capstan.api.Device;
import io.capstan.api.Take;
import io.capstan.api.TakeRecordingException;
import io.capstan.api.TakeStatistics;
import io.capstan.api.UnknownTakeException;

/**
 * The protocol's shapes of Capstan's objects (docs/PROTOCOL.md): devices, takes as they record
 * and as stored, and the error codes of the store's failures; and the one date syntax of filters.
 */
final class Replies {

    private Replies() {
    }

    static ObjectNode device(Device d) {
        ObjectNode o = Json.object();
        o.put("id", d.id());
        o.put("description", d.description());
        o.put("channels", d.nativeFormat().channels());
        if (!d.channelPositions().isEmpty()) {
            d.channelPositions().forEach(o.putArray("positions")::add);
        }
        o.put("rate", d.nativeFormat().sampleRate());
        o.put("format", d.nativeFormat().sampleFormat().name());
        o.put("backend", d.backend());
        return o;
    }

    /** An ISO-8601 instant, local date-time or date (local time zone), for filters. */
    static Instant instant(String text) throws RequestException {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            // not an instant: a local date-time or date
        }
        try {
            return java.time.LocalDateTime.parse(text).atZone(java.time.ZoneId.systemDefault()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            // not a date-time either
        }
        try {
            return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneId.systemDefault()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new RequestException(RequestException.BAD_ARGUMENT, "\"since\" must be a date (2026-12-03), "
                    + "a local time (2026-12-03T14:00) or an instant (2026-12-03T13:00:00Z), was '" + text + "'");
        }
    }

    /** The error code of a failure of the store: an unknown take, a take that records, or the store itself. */
    static RequestException storageFailure(CapstanException e) {
        String code = e instanceof UnknownTakeException ? RequestException.UNKNOWN_TAKE
                : e instanceof TakeRecordingException ? RequestException.TAKE_RECORDING : RequestException.STORAGE_FAILED;
        return new RequestException(code, e.getMessage());
    }

    static ObjectNode active(ActiveTake t) {
        ObjectNode o = Json.object();
        o.put("take", t.id());
        o.put("device", t.device().id());
        o.put("format", t.format().toString());
        o.put("state", t.state().name());
        o.put("frames", t.frames());
        o.put("chunks", t.chunks());
        return o;
    }

    static ObjectNode summary(Take t) {
        ObjectNode o = Json.object();
        o.put("take", t.id());
        o.put("state", t.state().name());
        o.put("seconds", t.seconds());
        o.put("frames", t.frames());
        o.put("chunks", t.chunks().size());
        o.put("format", t.format().toString());
        o.put("device", t.deviceId());
        o.put("startedAt", t.startedAt() == null ? null : t.startedAt().toString());
        o.put("endedAt", t.endedAt() == null ? null : t.endedAt().toString());
        o.put("reason", t.reason());
        o.put("note", t.note());
        return o;
    }

    static ObjectNode take(Take t) {
        ObjectNode o = summary(t);
        o.put("description", t.description());
        o.put("backend", t.backend());
        TakeStatistics s = t.statistics();
        if (s != null) {
            ObjectNode so = o.putObject("statistics");
            so.put("callbacks", s.callbacks());
            so.put("overruns", s.overruns());
            so.put("overrunFrames", s.overrunFrames());
            so.put("xruns", s.xruns());
            so.put("xrunFrames", s.xrunFrames());
            so.put("longestCallbackNanos", s.longestCallbackNanos());
            so.put("p99CallbackNanos", s.p99CallbackNanos());
        }
        ArrayNode chunks = o.putArray("chunkList");
        List<ChunkRef> refs = t.chunks();
        for (ChunkRef c : refs) {
            ObjectNode co = chunks.addObject();
            co.put("index", c.index());
            co.put("sha256", c.sha256());
            co.put("firstFrame", c.firstFrame());
            co.put("frames", c.frames());
            co.put("bytes", c.bytes());
            co.put("sealedAt", c.sealedAt() == null ? null : c.sealedAt().toString());
        }
        return o;
    }
}
