package io.capstan.backend.sidecar.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Which arrays printed by {@code pw-dump --monitor} {@link PwDumpMonitor} counts as changes (logic only). */
class PwDumpMonitorChangesTest {

    private final PwDumpMonitor monitor = new PwDumpMonitor(Map.of(), () -> {
    }, null, 1000);

    private boolean concerns(String json) throws Exception {
        JsonNode array = new ObjectMapper().readTree(json);
        return monitor.concernsDevices(array);
    }

    private static String node(int id, String mediaClass) {
        return "[{\"id\":" + id + ",\"type\":\"PipeWire:Interface:Node\",\"info\":{\"props\":{\"media.class\":\""
                + mediaClass + "\",\"node.name\":\"n" + id + "\"}}}]";
    }

    private static String update(int id) {
        return "[{\"id\":" + id + ",\"type\":\"PipeWire:Interface:Node\",\"info\":{\"change-mask\":[\"state\"],"
                + "\"state\":\"running\"}}]";
    }

    private static String removed(int id) {
        return "[{\"id\":" + id + ",\"info\":null}]";
    }

    @Test
    void capturesNodesAndTheirRemovalAreChanges() throws Exception {
        assertTrue(concerns(node(40, "Audio/Source/Virtual")));
        assertTrue(concerns(update(40)), "an update of a source without its class printed");
        assertTrue(concerns(removed(40)));
    }

    @Test
    void streamsAndTheirUpdatesAreNot() throws Exception {
        assertFalse(concerns(node(50, "Stream/Input/Audio")), "a capture stream starting (every take)");
        assertFalse(concerns(update(50)));
        assertFalse(concerns(removed(50)));
        assertFalse(concerns(node(51, "Audio/Sink")));
    }

    @Test
    void clientsComingAndGoingAreNot() throws Exception {
        assertFalse(concerns("[{\"id\":42,\"type\":\"PipeWire:Interface:Client\",\"info\":{\"props\":{}}}]"),
                "a one-shot pw-dump connecting");
        assertFalse(concerns(removed(42)));
    }

    @Test
    void settingsMetadataIsAChange() throws Exception {
        assertTrue(concerns("[{\"id\":31,\"type\":\"PipeWire:Interface:Metadata\",\"metadata\":[{\"subject\":0,"
                + "\"key\":\"clock.rate\",\"value\":44100}]}]"));
    }

    @Test
    void aBatchCountsWhenAnyObjectInItDoes() throws Exception {
        String batch = "[" + node(60, "Stream/Input/Audio").substring(1, node(60, "Stream/Input/Audio").length() - 1)
                + "," + node(61, "Audio/Source").substring(1, node(61, "Audio/Source").length() - 1) + "]";
        assertTrue(concerns(batch));
    }
}
