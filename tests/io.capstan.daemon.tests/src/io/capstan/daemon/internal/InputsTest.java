package io.capstan.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/** The file queue and the control FIFO, with real files, a real FIFO and real shell writers. */
@Timeout(60)
class InputsTest {

    @TempDir
    Path dir;

    private List<JsonNode> results(Harness h, int count) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long after = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (out.size() < count && System.nanoTime() < deadline) {
            EventJournal.Batch b = h.journal.next(after, 1000, 200);
            for (EventJournal.Entry e : b.entries()) {
                after = e.seq();
                if (e.topic().equals(FileInbox.RESULT_TOPIC)) {
                    out.add(parse(e.line()).path("data"));
                }
            }
        }
        return out;
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void processesInboxInNameOrderAndMovesBadFilesAside() throws Exception {
        try (Harness h = new Harness(dir)) {
            Path inbox = dir.resolve("inbox");
            Files.createDirectories(inbox);
            Files.writeString(inbox.resolve("b.json.tmp"), "{\"id\":\"b\",\"cmd\":\"devices\"}");
            Files.writeString(inbox.resolve("c.json"), "not json");
            Files.writeString(inbox.resolve("a.json"), "{\"id\":\"a\",\"cmd\":\"status\"}");
            Files.move(inbox.resolve("b.json.tmp"), inbox.resolve("b.json"));
            FileInbox queue = new FileInbox(Fakes.config(dir, ""), h.handler, h.journal);
            try {
                List<JsonNode> r = results(h, 3);
                assertEquals(List.of("a.json", "b.json", "c.json"), r.stream().map(x -> x.path("file").asText()).toList());
                assertTrue(Files.readString(inbox.resolve("a.result.json")).contains("\"ok\":true"));
                assertTrue(Files.exists(inbox.resolve("a.json.done")));
                assertTrue(Files.readString(inbox.resolve("b.result.json")).contains("\"mic\""));
                assertTrue(Files.exists(inbox.resolve("bad/c.json")));
                assertTrue(Files.readString(inbox.resolve("bad/c.error.json")).contains("BAD_JSON"));
                assertFalse(Files.exists(inbox.resolve("c.json")));
            } finally {
                queue.deactivate();
            }
        }
    }

    @Test
    void takesARequestOnTheFileSystemsNoticeNotOnTheRescan() throws Exception {
        try (Harness h = new Harness(dir)) {
            Path inbox = dir.resolve("inbox");
            Files.createDirectories(inbox);
            Files.writeString(inbox.resolve("early.json"), "{\"id\":\"early\",\"cmd\":\"status\"}");
            FileInbox queue = new FileInbox(Fakes.config(dir, "", 600_000), h.handler, h.journal);
            try {
                assertEquals(1, results(h, 1).size(), "the first scan takes the early request");
                // the first scan is over: only a notice can find the next request now
                Files.writeString(inbox.resolve("late.json.tmp"), "{\"id\":\"late\",\"cmd\":\"status\"}");
                Files.move(inbox.resolve("late.json.tmp"), inbox.resolve("late.json"));
                List<JsonNode> r = results(h, 2);
                assertEquals(List.of("early.json", "late.json"), r.stream().map(x -> x.path("file").asText()).toList(),
                        "taken within 20 s although the rescan is 10 minutes away");
                assertTrue(Files.readString(inbox.resolve("late.result.json")).contains("\"ok\":true"));
            } finally {
                queue.deactivate();
            }
        }
    }

    private static Process shell(String script) throws IOException {
        return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    }

    @Test
    void fifoWritersNeverBlockNorGetSigpipe() throws Exception {
        try (Harness h = new Harness(dir)) {
            ControlFifo fifo = new ControlFifo(Fakes.config(dir, ""), h.handler, h.journal);
            try {
                Path path = dir.resolve(ControlFifo.NAME);
                assertTrue(Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS).isOther(), "a FIFO");
                // 50 separate writers, as 'echo > fifo' from scripts: each opens, writes, closes.
                Process p = shell("i=0; while [ $i -lt 50 ]; do echo '{\"id\":'$i',\"cmd\":\"devices\"}' > '" + path
                        + "' || exit 9; i=$((i+1)); done; echo 'garbage' > '" + path + "'");
                assertTrue(p.waitFor(20, TimeUnit.SECONDS), "writers did not block");
                assertEquals(0, p.exitValue(), "no SIGPIPE (141), no error: " + new String(p.getInputStream().readAllBytes()));
                List<JsonNode> r = results(h, 51);
                assertEquals(51, r.size());
                assertEquals(50, r.stream().filter(x -> x.path("reply").path("ok").asBoolean()).count());
                assertEquals("BAD_JSON", r.get(50).path("reply").path("error").path("code").asText());
            } finally {
                fifo.deactivate();
            }
        }
    }

    @Test
    void fifoWriterDoesNotHangOnceDaemonStopped() throws Exception {
        Path path = dir.resolve(ControlFifo.NAME);
        try (Harness h = new Harness(dir)) {
            new ControlFifo(Fakes.config(dir, ""), h.handler, h.journal).deactivate();
            Process p = shell("echo '{\"cmd\":\"status\"}' > '" + path + "'");
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "the writer returned at once: the FIFO is gone at stop");
            assertTrue(Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
            ControlFifo next = new ControlFifo(Fakes.config(dir, ""), h.handler, h.journal);
            try {
                try (var files = Files.list(dir)) {
                    assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("control.fifo.written-while")),
                            "the plain file was moved aside, not executed");
                }
            } finally {
                next.deactivate();
            }
        }
        // After a crash the FIFO stays with no reader: the documented 'timeout' bounds the writer.
        io.capstan.transport.fifo.RuntimeDirectories.createFifo(path);
        Process p = shell("timeout 2 sh -c \"echo x > '" + path + "'\"");
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(124, p.exitValue(), "timeout ended the writer");
    }
}
