package io.capstan.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The control socket with the real protocol code on fake services: commands, errors, peers, files. */
@Timeout(60)
class ControlServerTest {

    @TempDir
    Path dir;

    @Test
    void answersEveryCommand() throws IOException {
        try (Harness h = new Harness(dir); Harness.Client c = h.client()) {
            JsonNode status = c.call("{\"id\":1,\"cmd\":\"status\"}");
            assertTrue(status.path("ok").asBoolean(), status::toString);
            assertEquals(1, status.path("id").asInt());
            assertEquals("running", status.path("result").path("state").asText());
            assertEquals("mic", c.call("{\"id\":2,\"cmd\":\"devices\"}").path("result").get(0).path("id").asText());
            JsonNode start = c.call("{\"id\":\"s\",\"cmd\":\"start\",\"device\":\"mic\"}");
            assertEquals("s", start.path("id").asText());
            String take = start.path("result").path("take").asText();
            assertEquals(1, c.call("{\"id\":3,\"cmd\":\"status\"}").path("result").path("recording").size());
            assertEquals("COMPLETE", c.call("{\"id\":4,\"cmd\":\"stop-take\",\"take\":\"" + take + "\"}")
                    .path("result").path("state").asText());
            assertEquals(1, c.call("{\"id\":5,\"cmd\":\"takes\"}").path("result").size());
            assertEquals(take, c.call("{\"id\":6,\"cmd\":\"take\",\"take\":\"" + take + "\"}").path("result")
                    .path("take").asText());
            assertTrue(c.call("{\"id\":7,\"cmd\":\"export\",\"take\":\"" + take + "\",\"out\":\"/tmp/x.wav\"}")
                    .path("ok").asBoolean());
            assertTrue(c.call("{\"id\":8,\"cmd\":\"verify\"}").path("result").path("ok").asBoolean());
            assertTrue(c.call("{\"id\":9,\"cmd\":\"subscribe\"}").path("ok").asBoolean());
            JsonNode stop = c.call("{\"id\":10,\"cmd\":\"stop\"}");
            assertTrue(stop.path("result").path("stopping").asBoolean());
            assertTrue(h.state.stopRequested());
        }
    }

    @Test
    void aLongRequestSendsProgressLinesBeforeItsReply() throws IOException {
        try (Harness h = new Harness(dir); Harness.Client c = h.client()) {
            h.store.takes.put("t", Fakes.take("t", io.capstan.api.TakeState.COMPLETE));
            h.store.exportSteps = 500;
            c.send("{\"id\":1,\"cmd\":\"export\",\"take\":\"t\",\"out\":\"/tmp/x.wav\",\"progress\":true}");
            int lines = 0;
            long last = 0;
            JsonNode line;
            while ((line = c.read()).has("progress")) {
                assertEquals(1, line.path("id").asInt());
                assertEquals(500, line.path("progress").path("total").asLong());
                assertTrue(line.path("progress").path("done").asLong() > last, line::toString);
                last = line.path("progress").path("done").asLong();
                lines++;
            }
            assertTrue(line.path("ok").asBoolean(), line::toString);
            assertEquals(500, last, "the last progress line says done");
            assertTrue(lines >= 2 && lines <= 30, "at most ten a second, and the last: " + lines);
            assertFalse(c.call("{\"id\":2,\"cmd\":\"export\",\"take\":\"t\",\"out\":\"/tmp/x.wav\"}")
                    .has("progress"), "without \"progress\" only the reply");
        }
    }

    @Test
    void closingTheConnectionCancelsItsLongRequestAndNothingElse() throws Exception {
        try (Harness h = new Harness(dir)) {
            h.store.takes.put("t", Fakes.take("t", io.capstan.api.TakeState.COMPLETE));
            h.store.exportSteps = 60_000; // a minute unless cancelled
            Harness.Client c = h.client();
            c.send("{\"id\":1,\"cmd\":\"export\",\"take\":\"t\",\"out\":\"/tmp/x.wav\",\"progress\":true}");
            assertTrue(c.read().has("progress"));
            c.close(); // Ctrl-C in the command line
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (h.store.cancelledExports.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "the export was not cancelled");
                Thread.sleep(10);
            }
            try (Harness.Client other = h.client()) {
                assertTrue(other.call("{\"id\":1,\"cmd\":\"status\"}").path("ok").asBoolean(), "the daemon goes on");
            }
        }
    }

    @Test
    void answersEveryErrorAndKeepsTheConnection() throws IOException {
        try (Harness h = new Harness(dir); Harness.Client c = h.client()) {
            assertCode(c, "{bad json", "BAD_JSON");
            assertCode(c, "x".repeat(10_000), "LINE_TOO_LONG");
            assertCode(c, "[1,2]", "BAD_REQUEST");
            assertCode(c, "{\"id\":1}", "BAD_REQUEST");
            assertCode(c, "{\"id\":{},\"cmd\":\"status\"}", "BAD_REQUEST");
            assertCode(c, "{\"id\":1,\"cmd\":\"fly\"}", "UNKNOWN_COMMAND");
            assertCode(c, "{\"id\":1,\"cmd\":\"take\",\"take\":42}", "BAD_ARGUMENT");
            assertCode(c, "{\"id\":1,\"cmd\":\"start\"}", "BAD_ARGUMENT");
            assertCode(c, "{\"id\":1,\"cmd\":\"start\",\"device\":\"mic\",\"seconds\":\"five\"}", "BAD_ARGUMENT");
            assertCode(c, "{\"id\":1,\"cmd\":\"start\",\"device\":\"mic\",\"seconds\":-1}", "BAD_ARGUMENT");
            assertCode(c, "{\"id\":1,\"cmd\":\"start\",\"device\":\"mic\",\"format\":\"MP3\"}", "BAD_ARGUMENT");
            assertCode(c, "{\"id\":1,\"cmd\":\"export\",\"take\":\"t1\",\"out\":\"relative.wav\"}", "BAD_ARGUMENT");
            assertCode(c, "{\"id\":1,\"cmd\":\"subscribe\",\"since\":-3}", "BAD_ARGUMENT");
            assertCode(c, "{\"id\":1,\"cmd\":\"subscribe\",\"topics\":\"capstan/*\"}", "BAD_ARGUMENT");
            assertCode(c, "{\"id\":1,\"cmd\":\"subscribe\",\"since\":99}", "BAD_ARGUMENT");
            assertCode(c, "{\"id\":1,\"cmd\":\"start\",\"device\":\"nope\"}", "UNKNOWN_DEVICE");
            assertCode(c, "{\"id\":1,\"cmd\":\"take\",\"take\":\"nope\"}", "UNKNOWN_TAKE");
            assertCode(c, "{\"id\":1,\"cmd\":\"stop-take\",\"take\":\"nope\"}", "UNKNOWN_TAKE");
            assertCode(c, "{\"id\":1,\"cmd\":\"export\",\"take\":\"nope\",\"out\":\"/tmp/n.wav\"}", "UNKNOWN_TAKE");
            assertCode(c, "{\"id\":1,\"cmd\":\"verify\",\"take\":\"nope\"}", "UNKNOWN_TAKE");
            assertTrue(c.call("{\"id\":2,\"cmd\":\"subscribe\"}").path("ok").asBoolean());
            assertCode(c, "{\"id\":3,\"cmd\":\"subscribe\"}", "ALREADY_SUBSCRIBED");
            assertEquals("NOT_HERE", h.handler.handle(Json.MAPPER.readTree("{\"cmd\":\"subscribe\"}"), "test")
                    .path("error").path("code").asText());
            assertTrue(c.call("{\"id\":4,\"cmd\":\"status\"}").path("ok").asBoolean(), "connection still serves");
        }
    }

    private static void assertCode(Harness.Client c, String line, String code) throws IOException {
        JsonNode reply = c.call(line);
        assertFalse(reply.path("ok").asBoolean(), reply::toString);
        assertEquals(code, reply.path("error").path("code").asText(), reply::toString);
        assertFalse(reply.path("error").path("message").asText().isBlank());
    }

    @Test
    void rejectsRequestFromOtherUid() throws IOException {
        // The socket file is 0600 and owned by the test's user, who connects: only the uid check
        // (SO_PEERCRED against the allowed user) can refuse this peer.
        try (Harness h = new Harness(dir, "nobody"); Harness.Client c = h.client()) {
            JsonNode reply = c.read();
            assertEquals("NOT_PERMITTED", reply.path("error").path("code").asText(), reply::toString);
            assertNull(c.in.readLine(), "the connection is closed after the refusal");
        }
    }

    @Test
    void socketIsPrivate() throws IOException {
        try (Harness h = new Harness(dir)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(h.server.socket())));
        }
    }

    @Test
    void replacesStaleSocket() throws IOException {
        Path socket = dir.resolve(ControlServer.SOCKET);
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        } // closed without unlinking: what a killed daemon leaves
        assertTrue(Files.exists(socket));
        try (Harness h = new Harness(dir); Harness.Client c = h.client()) {
            assertTrue(c.call("{\"id\":1,\"cmd\":\"status\"}").path("ok").asBoolean());
        }
    }

    @Test
    void refusesSecondServerOnLiveSocket() throws IOException {
        try (Harness h = new Harness(dir)) {
            IOException e = assertThrows(IOException.class, () -> new Harness(dir));
            assertTrue(e.getMessage().contains("already"), e.getMessage());
        }
    }

    @Test
    void removesSocketAtStop() throws IOException {
        Harness h = new Harness(dir);
        h.close();
        assertFalse(Files.exists(dir.resolve(ControlServer.SOCKET)));
    }

    /** 100,000 malformed lines: every one answered with an error, no crash, connection alive. */
    @Test
    void answersHundredThousandMalformedInputs() throws Exception {
        int count = 100_000;
        try (Harness h = new Harness(dir); Harness.Client c = h.client()) {
            Random random = new Random(4);
            String[] fragments = { "{", "}", "[", "\"cmd\"", ":", ",", "\"id\"", "null", "true", "1e999", "\\u0000",
                    "{\"cmd\":", "{\"id\":[],\"cmd\":\"take\",\"take\":{}}", "\u00e9", "\ud83d", "\t" };
            Thread writer = new Thread(() -> {
                try {
                    StringBuilder batch = new StringBuilder();
                    for (int i = 0; i < count; i++) {
                        batch.append(malformed(random, fragments, i)).append('\n');
                        if (batch.length() > 32_000) {
                            c.out.write(batch.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            batch.setLength(0);
                        }
                    }
                    c.out.write(batch.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    c.out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "fuzz-writer");
            writer.start();
            for (int i = 0; i < count; i++) {
                JsonNode reply = c.read();
                assertFalse(reply == null, "reply " + i + " missing");
                assertFalse(reply.path("ok").asBoolean(), reply::toString);
                assertFalse(reply.path("error").path("code").asText().isEmpty(), reply::toString);
            }
            writer.join(10_000);
            assertTrue(c.call("{\"id\":1,\"cmd\":\"status\"}").path("ok").asBoolean(), "still alive");
        }
    }

    private static String malformed(Random random, String[] fragments, int i) {
        switch (i % 4) {
            case 0: { // random printable garbage
                char[] chars = new char[1 + random.nextInt(60)];
                for (int k = 0; k < chars.length; k++) {
                    chars[k] = (char) ('!' + random.nextInt(94));
                }
                return new String(chars);
            }
            case 1: { // fragments of JSON glued together
                StringBuilder b = new StringBuilder();
                for (int k = 1 + random.nextInt(8); k > 0; k--) {
                    b.append(fragments[random.nextInt(fragments.length)]);
                }
                return b.toString().isBlank() ? "{" : b.toString();
            }
            case 2: // valid JSON, wrong shape or types
                return switch (random.nextInt(5)) {
                    case 0 -> String.valueOf(random.nextInt());
                    case 1 -> "{\"id\":" + i + ",\"cmd\":" + random.nextInt() + "}";
                    case 2 -> "{\"id\":" + i + ",\"cmd\":\"take\",\"take\":" + random.nextDouble() + "}";
                    case 3 -> "{\"id\":" + i + ",\"cmd\":\"cmd" + random.nextInt(1000) + "\"}";
                    default -> "{\"id\":" + i + ",\"cmd\":\"start\",\"device\":\"mic\",\"seconds\":[" + i + "]}";
                };
            default: // oversized
                return random.nextInt(50) == 0 ? "y".repeat(5000) : "\"unterminated";
        }
    }
}
