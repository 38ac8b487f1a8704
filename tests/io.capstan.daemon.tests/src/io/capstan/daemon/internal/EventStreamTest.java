package io.capstan.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.api.CapstanEvents;

/** subscribe: readiness, replay after reconnect without loss, gap marker, filters, restarts. */
@Timeout(60)
class EventStreamTest {

    @TempDir
    Path dir;

    private static void publish(Harness h, String topic, int count) {
        for (int i = 0; i < count; i++) {
            ObjectNode data = Json.object();
            data.put("i", i);
            h.journal.publish(topic, data);
        }
    }

    @Test
    void sendsNothingBeforeSubscribe() throws IOException {
        try (Harness h = new Harness(dir); Harness.Client c = h.client()) {
            publish(h, "capstan/take/STARTED", 5);
            JsonNode first = c.call("{\"id\":1,\"cmd\":\"status\"}");
            assertEquals(1, first.path("id").asInt(), "the first line is the reply, not an event: " + first);
        }
    }

    @Test
    void resumesAfterReconnectWithoutLoss() throws IOException {
        try (Harness h = new Harness(dir)) {
            publish(h, "capstan/chunk/SEALED", 10);
            List<Long> seen = new ArrayList<>();
            String epoch;
            try (Harness.Client c = h.client()) {
                JsonNode reply = c.call("{\"id\":1,\"cmd\":\"subscribe\",\"since\":0}");
                epoch = reply.path("result").path("epoch").asText();
                for (int i = 0; i < 4; i++) {
                    seen.add(c.read().path("seq").asLong());
                }
            } // the subscriber dies mid-stream
            publish(h, "capstan/chunk/SEALED", 20);
            try (Harness.Client c = h.client()) {
                long last = seen.get(seen.size() - 1);
                c.call("{\"id\":2,\"cmd\":\"subscribe\",\"since\":" + last + ",\"epoch\":\"" + epoch + "\"}");
                while (seen.size() < 30) {
                    seen.add(c.read().path("seq").asLong());
                }
            }
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i + 1, seen.get(i), "no hole, no duplicate: " + seen);
            }
        }
    }

    @Test
    void marksGapWhenBufferNoLongerHoldsEvents() throws IOException {
        try (Harness h = new Harness(dir); Harness.Client c = h.client()) {
            publish(h, "capstan/chunk/SEALED", 1500); // the ring holds 1000
            JsonNode reply = c.call("{\"id\":1,\"cmd\":\"subscribe\",\"since\":0}");
            assertEquals(501, reply.path("result").path("oldest").asLong());
            JsonNode gap = c.read();
            assertEquals(Connection.GAP_TOPIC, gap.path("topic").asText(), gap::toString);
            assertEquals(500, gap.path("data").path("missed").asLong());
            assertEquals(501, c.read().path("seq").asLong());
        }
    }

    @Test
    void filtersTopicsAndSendsLevelsOnlyWhenAsked() throws IOException {
        try (Harness h = new Harness(dir); Harness.Client all = h.client(); Harness.Client takes = h.client();
                Harness.Client levels = h.client()) {
            all.call("{\"id\":1,\"cmd\":\"subscribe\",\"topics\":[\"*\"]}");
            takes.call("{\"id\":1,\"cmd\":\"subscribe\",\"topics\":[\"capstan/take/*\"]}");
            levels.call("{\"id\":1,\"cmd\":\"subscribe\",\"topics\":[\"capstan/level/*\",\"capstan/take/STOPPED\"]}");
            publish(h, "capstan/level/t1", 1);
            publish(h, "capstan/device/ADDED", 1);
            publish(h, "capstan/take/STOPPED", 1);
            assertEquals("capstan/device/ADDED", all.read().path("topic").asText());
            assertEquals("capstan/take/STOPPED", all.read().path("topic").asText());
            assertEquals("capstan/take/STOPPED", takes.read().path("topic").asText());
            assertEquals("capstan/level/t1", levels.read().path("topic").asText());
            assertEquals("capstan/take/STOPPED", levels.read().path("topic").asText());
        }
    }

    @Test
    void journalsLevelEventsAndDeclaresTheInterestOnlyWhileASubscriberAsksForThem() throws Exception {
        org.osgi.framework.BundleContext context = org.osgi.framework.FrameworkUtil.getBundle(EventJournal.class)
                .getBundleContext();
        String levelHandlers = "(" + org.osgi.service.event.EventConstants.EVENT_TOPIC + "=capstan/level*)";
        java.util.function.IntSupplier interest = () -> {
            try {
                return context.getServiceReferences(org.osgi.service.event.EventHandler.class, levelHandlers).size();
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
        };
        org.osgi.service.event.Event level = new org.osgi.service.event.Event(CapstanEvents.LEVEL, java.util.Map.of());
        try (Harness h = new Harness(dir)) {
            h.journal.handleEvent(level);
            assertEquals(0, h.journal.last(), "no level subscriber: the level event is not journaled");
            assertEquals(0, interest.getAsInt(), "no handler asks the capture service to meter");
            try (Harness.Client levels = h.client(); Harness.Client all = h.client()) {
                all.call("{\"id\":1,\"cmd\":\"subscribe\"}");
                assertEquals(0, interest.getAsInt(), "'*' does not ask for level events");
                levels.call("{\"id\":1,\"cmd\":\"subscribe\",\"topics\":[\"capstan/level/*\"]}");
                assertEquals(1, interest.getAsInt(), "a level subscriber: metering is asked for");
                h.journal.handleEvent(level);
                assertEquals(CapstanEvents.LEVEL, levels.read().path("topic").asText());
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (interest.getAsInt() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, interest.getAsInt(), "the level subscriber left: metering is no longer asked for");
            long last = h.journal.last();
            h.journal.handleEvent(level);
            assertEquals(last, h.journal.last(), "level events are not journaled once nobody reads them");
        }
    }

    @Test
    void startsOverWithGapWhenDaemonRestarted() throws IOException {
        try (Harness h = new Harness(dir); Harness.Client c = h.client()) {
            publish(h, "capstan/take/STARTED", 2);
            c.call("{\"id\":1,\"cmd\":\"subscribe\",\"since\":500,\"epoch\":\"an-earlier-run\"}");
            JsonNode gap = c.read();
            assertEquals(Connection.GAP_TOPIC, gap.path("topic").asText());
            assertFalse(gap.path("data").path("epoch").asText().isEmpty());
            assertEquals(1, c.read().path("seq").asLong());
        }
    }

    @Test
    void numbersEventsStrictlyIncreasing() {
        EventJournal journal = new EventJournal(64);
        long previous = 0;
        for (int i = 0; i < 200; i++) {
            long seq = journal.publish("capstan/x", Json.object());
            assertTrue(seq > previous);
            previous = seq;
        }
        assertEquals(200 - 64 + 1, journal.oldest());
    }
}
