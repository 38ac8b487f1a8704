package io.capstan.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The daemon as a process: {@code ./capstan daemon --http PORT} in a private runtime directory
 * (and a private PipeWire when installed), driven through its socket, the CLI, HTTP, the inbox
 * and the FIFO; then killed, restarted, and stopped with a take running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class DaemonEndToEndTest {

    private static final Duration CAPSTAN_TIMEOUT = Duration.ofSeconds(60);
    private static final int HTTP_PORT = 18000 + (int) (ProcessHandle.current().pid() % 2000);

    @TempDir
    static Path tmp;

    private static Path root;
    private static PipeWireSandbox sandbox;
    private static Map<String, String> env;
    private static Path runtime;
    private static Process daemon;

    @BeforeAll
    static void startDaemon() throws Exception {
        root = RecordFromPipeWireTest.repositoryRoot();
        env = new HashMap<>();
        Optional<String> missing = PipeWireSandbox.missing(root);
        if (missing.isEmpty()) {
            sandbox = PipeWireSandbox.start(root, tmp.resolve("sandbox"), List.of("--tone", "capstan-tone:440:0.5"));
            env.putAll(sandbox.environment());
        } else {
            Path xdg = Files.createDirectory(tmp.resolve("xdg"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            env.put("XDG_RUNTIME_DIR", xdg.toString());
        }
        env.put("CAPSTAN_HOME", tmp.resolve("home").toString());
        env.put("CAPSTAN_NO_BUILD", "1");
        runtime = Path.of(env.get("XDG_RUNTIME_DIR")).resolve("capstan");
        daemon = launchDaemon("daemon-1.log");
    }

    static Process launchDaemon(String log) throws Exception {
        ProcessBuilder b = new ProcessBuilder("./capstan", "daemon", "--http", String.valueOf(HTTP_PORT))
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve(log).toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        b.environment().putAll(env);
        Process p = b.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(runtime.resolve("control.sock"))) {
                try (DaemonClient c = new DaemonClient(runtime.resolve("control.sock"))) {
                    JsonNode s = c.call("{\"id\":1,\"cmd\":\"status\"}");
                    if (s.path("ok").asBoolean() && !s.path("result").path("http").isNull()) {
                        return p;
                    }
                } catch (IOException e) {
                    // not yet
                }
            }
            if (!p.isAlive()) {
                throw new IOException("the daemon exited: " + Files.readString(tmp.resolve(log)));
            }
            Thread.sleep(100);
        }
        throw new IOException("the daemon did not come up: " + Files.readString(tmp.resolve(log)));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.descendants().forEach(ProcessHandle::destroy);
            daemon.destroy();
            daemon.waitFor(30, TimeUnit.SECONDS);
        }
        if (sandbox != null) {
            sandbox.stop();
        }
    }

    static Command.Result capstan(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./capstan"));
        command.addAll(List.of(args));
        return Command.run(command, root, env, CAPSTAN_TIMEOUT);
    }

    static DaemonClient client() throws IOException {
        return new DaemonClient(runtime.resolve("control.sock"));
    }

    static long daemonPid() throws IOException {
        return Long.parseLong(Files.readString(runtime.resolve("daemon.pid")).trim());
    }

    @Test
    @Order(1)
    void refusesSecondDaemon() throws Exception {
        Command.Result second = capstan("daemon");
        assertEquals(1, second.exitCode(), second::describe);
        assertTrue(second.stderr().contains("already running (pid " + daemonPid() + ")"), second::describe);
    }

    @Test
    @Order(2)
    void cliTalksToTheDaemon() throws Exception {
        Command.Result status = capstan("status");
        assertEquals(0, status.exitCode(), status::describe);
        assertTrue(status.stdout().contains("daemon running, pid " + daemonPid()), status::describe);
        assertTrue(status.stdout().contains("http: http://127.0.0.1:" + HTTP_PORT + "/"), status::describe);
        Command.Result json = capstan("takes", "--json");
        assertEquals(0, json.exitCode(), json::describe);
        assertTrue(DaemonClient.JSON.readTree(json.stdout()).isArray(), json::describe);
        Command.Result devices = capstan("devices");
        assertEquals(0, devices.exitCode(), devices::describe);
        if (sandbox != null) {
            assertTrue(devices.stdout().contains("capstan-tone"), devices::describe);
        }
    }

    /** A raw HTTP/1.1 exchange, so the Host header can be anything. */
    static String http(String method, String path, String host, Map<String, String> headers, String body)
            throws IOException {
        try (Socket s = new Socket("127.0.0.1", HTTP_PORT)) {
            StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n");
            headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            req.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(bytes);
                out.flush();
            } catch (java.net.SocketException e) {
                // the server may answer and close before it has read the whole body (413 for one
                // too large); the answer is still there to read
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String token() throws IOException {
        return Files.readString(runtime.resolve("http.token")).trim();
    }

    @Test
    @Order(3)
    void httpChecksHostTokenTypeAndAnswers() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime.resolve("http.token"))));
        Map<String, String> json = Map.of("Content-Type", "application/json");
        Map<String, String> auth = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token());
        String status = "{\"id\":1,\"cmd\":\"status\"}";
        assertTrue(http("GET", "/health", "localhost", Map.of(), null).startsWith("HTTP/1.1 200"));
        assertTrue(http("POST", "/message", "127.0.0.1", json, status).startsWith("HTTP/1.1 401"));
        assertTrue(http("POST", "/message", "127.0.0.1", Map.of("Content-Type", "application/json",
                "Authorization", "Bearer wrong"), status).startsWith("HTTP/1.1 401"));
        assertTrue(http("POST", "/message", "evil.example:" + HTTP_PORT, auth, status).startsWith("HTTP/1.1 403"));
        assertTrue(http("GET", "/health", "attacker.test", Map.of(), null).startsWith("HTTP/1.1 403"));
        assertTrue(http("POST", "/message", "127.0.0.1", Map.of("Content-Type", "text/plain", "Authorization",
                "Bearer " + token()), status).startsWith("HTTP/1.1 415"));
        assertTrue(http("POST", "/message", "127.0.0.1", auth, "{\"x\":\"" + "y".repeat(1_100_000) + "\"}")
                .startsWith("HTTP/1.1 413"));
        String ok = http("POST", "/message", "[::1]:" + HTTP_PORT, auth, status);
        assertTrue(ok.startsWith("HTTP/1.1 200") && ok.contains("\"state\":\"running\""), ok);
        String batch = http("POST", "/messages", "localhost", auth,
                "[{\"id\":1,\"cmd\":\"takes\"},{\"id\":2,\"cmd\":\"nope\"},{\"id\":3,\"cmd\":\"devices\"}]");
        JsonNode results = DaemonClient.JSON.readTree(batch.substring(batch.indexOf("\r\n\r\n") + 4));
        assertEquals(3, results.size(), batch);
        assertTrue(results.get(0).path("ok").asBoolean());
        assertEquals("UNKNOWN_COMMAND", results.get(1).path("error").path("code").asText());
        assertEquals(3, results.get(2).path("id").asInt());
    }

    /** 100,000 malformed bodies at POST /message: every one answered 400 with an error object. */
    @Test
    @Order(4)
    void httpAnswersHundredThousandMalformedInputs() throws Exception {
        int count = Integer.getInteger("capstan.fuzz.http", 100_000);
        String token = token();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + HTTP_PORT + "/message");
        int threads = 4;
        List<Thread> workers = new ArrayList<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger retries = new java.util.concurrent.atomic.AtomicInteger();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread w = new Thread(() -> {
                java.util.Random random = new java.util.Random(offset);
                for (int i = offset; i < count && failures.size() < 5; i += threads) {
                    String body = switch (i % 4) {
                        case 0 -> "{" + Integer.toHexString(random.nextInt());
                        case 1 -> "[" + i + "]";
                        case 2 -> "{\"id\":" + i + ",\"cmd\":" + random.nextInt() + "}";
                        default -> "{\"id\":" + i + ",\"cmd\":\"take\",\"take\":" + i + "}";
                    };
                    for (int attempt = 0; attempt < 2; attempt++) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 400 || !r.body().contains("\"ok\":false")) {
                            failures.add(body + " -> " + r.statusCode() + " " + r.body());
                        }
                        break;
                    } catch (IOException e) {
                        // A kept-alive connection closed by Jetty while the client reused it: the
                        // request never reached the servlet. Counted, and sent again once.
                        retries.incrementAndGet();
                        if (attempt == 1) {
                            failures.add(body + " -> " + e);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failures.add(body + " -> interrupted");
                        return;
                    }
                    }
                }
            }, "http-fuzz-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("BENCH http-fuzz: %d malformed requests in %.1f s (%.0f/s), failures %d, "
                + "connection-reuse retries %d%n", count, seconds, count / seconds, failures.size(), retries.get());
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
        assertTrue(http("GET", "/health", "localhost", Map.of(), null).startsWith("HTTP/1.1 200"));
    }

    @Test
    @Order(5)
    void inboxAndFifoRunCommands() throws Exception {
        try (DaemonClient events = client()) {
            events.call("{\"id\":1,\"cmd\":\"subscribe\",\"topics\":[\"capstan/input/*\"]}");
            Path inbox = runtime.resolve("inbox");
            Files.writeString(inbox.resolve("job-1.json.tmp"), "{\"id\":\"job-1\",\"cmd\":\"takes\"}");
            Files.move(inbox.resolve("job-1.json.tmp"), inbox.resolve("job-1.json"));
            Process writer = new ProcessBuilder("sh", "-c",
                    "echo '{\"id\":\"fifo-1\",\"cmd\":\"status\"}' > '" + runtime.resolve("control.fifo") + "'").start();
            assertTrue(writer.waitFor(10, TimeUnit.SECONDS), "the FIFO writer did not block");
            assertEquals(0, writer.exitValue());
            List<String> ids = new ArrayList<>();
            while (ids.size() < 2) {
                ids.add(events.read().path("data").path("reply").path("id").asText());
            }
            assertTrue(ids.containsAll(List.of("job-1", "fifo-1")), ids::toString);
            assertTrue(Files.readString(inbox.resolve("job-1.result.json")).contains("\"ok\":true"));
        }
    }

    /** 50 clients asking status as fast as they can; figures go to docs/BENCHMARKS.md. */
    @Test
    @Order(6)
    void loadStatusFromFiftyClients() throws Exception {
        int seconds = Integer.parseInt(System.getenv().getOrDefault("CAPSTAN_BENCH_SECONDS", "3"));
        int clients = 50;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<long[]> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                long[] mine = new long[1 << 20];
                int n = 0;
                try (DaemonClient c = client()) {
                    while (System.nanoTime() < end && n < mine.length) {
                        long t0 = System.nanoTime();
                        JsonNode r = c.call("{\"id\":" + n + ",\"cmd\":\"status\"}");
                        mine[n++] = System.nanoTime() - t0;
                        if (!r.path("ok").asBoolean()) {
                            throw new IOException(r.toString());
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
                latencies.add(java.util.Arrays.copyOf(mine, n));
            }, "status-load-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(errors.isEmpty(), errors::toString);
        long[] all = latencies.stream().flatMapToLong(java.util.Arrays::stream).sorted().toArray();
        System.out.printf("BENCH status-load: %d clients, %d s, %d requests, %.0f requests/s, p50 %.2f ms, "
                + "p99 %.2f ms, max %.2f ms%n", clients, seconds, all.length, all.length / (double) seconds,
                all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6, all[all.length - 1] / 1e6);
        assertTrue(all.length > 0);
    }

    /** 10,000 events/s (FIFO requests, each answered on the stream) to 20 subscribers: none lost. */
    @Test
    @Order(7)
    void streamsTenThousandEventsPerSecondToTwentySubscribers() throws Exception {
        int seconds = Integer.parseInt(System.getenv().getOrDefault("CAPSTAN_BENCH_SECONDS", "3"));
        int rate = 10_000;
        int total = rate * seconds;
        int subscribers = 20;
        java.util.concurrent.atomic.AtomicLongArray sent = new java.util.concurrent.atomic.AtomicLongArray(total);
        List<DaemonClient> clients = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            DaemonClient c = client();
            assertTrue(c.call("{\"id\":1,\"cmd\":\"subscribe\",\"topics\":[\"capstan/input/RESULT\"]}").path("ok")
                    .asBoolean());
            clients.add(c);
        }
        long[][] latency = new long[subscribers][total];
        int[] received = new int[subscribers];
        boolean[] hole = new boolean[subscribers];
        List<Thread> readers = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
            int me = s;
            Thread t = new Thread(() -> {
                long lastSeq = -1;
                try {
                    while (received[me] < total) {
                        String e = clients.get(me).readLine();
                        if (e == null || !e.startsWith("{\"seq\":")) {
                            hole[me] = true;
                            return;
                        }
                        long now = System.nanoTime();
                        long seq = number(e, "{\"seq\":");
                        if (lastSeq >= 0 && seq != lastSeq + 1) {
                            hole[me] = true;
                        }
                        lastSeq = seq;
                        int id = (int) number(e, "\"reply\":{\"id\":");
                        if (id >= 0 && id < total) {
                            latency[me][received[me]] = now - sent.get(id);
                        }
                        received[me]++;
                    }
                } catch (IOException ex) {
                    hole[me] = true;
                }
            }, "subscriber-" + s);
            readers.add(t);
            t.start();
        }
        long start = System.nanoTime();
        try (OutputStream fifo = Files.newOutputStream(runtime.resolve("control.fifo"))) {
            int batch = rate / 100; // every 10 ms
            for (int i = 0; i < total; i += batch) {
                long due = start + (long) i * 1_000_000_000L / rate;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                StringBuilder lines = new StringBuilder();
                long now = System.nanoTime();
                for (int k = i; k < Math.min(total, i + batch); k++) {
                    sent.set(k, now);
                    lines.append("{\"id\":").append(k).append(",\"cmd\":\"devices\"}\n");
                }
                fifo.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
                fifo.flush();
            }
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        for (Thread t : readers) {
            t.join(TimeUnit.SECONDS.toMillis(30 + seconds));
        }
        for (DaemonClient c : clients) {
            c.close();
        }
        long[] all = java.util.Arrays.stream(latency).flatMapToLong(java.util.Arrays::stream).filter(x -> x > 0)
                .sorted().toArray();
        int lost = 0;
        for (int s = 0; s < subscribers; s++) {
            lost += total - received[s];
        }
        System.out.printf("BENCH event-stream: %d events in %.2f s (%.0f/s) to %d subscribers, lost %d, "
                + "delivery p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", total, sendSeconds, total / sendSeconds,
                subscribers, lost, all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                all[all.length - 1] / 1e6);
        assertEquals(0, lost, "events lost");
        for (boolean h : hole) {
            assertFalse(h, "a subscriber saw a hole in the sequence");
        }
    }

    @Test
    @Order(8)
    void eventsCommandResumesAcrossAKilledDaemonAndStaleFilesAreReported() throws Exception {
        Path out = tmp.resolve("events.out");
        ProcessBuilder b = new ProcessBuilder("./capstan", "events", "--json", "--topics", "capstan/input/*")
                .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(tmp.resolve("events.err").toFile());
        b.environment().putAll(env);
        Process events = b.start();
        try {
            // Until the client has subscribed, a request's event may come before it: send until one is seen.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; !(Files.exists(out) && Files.readString(out).contains("\"before")); i++) {
                assertTrue(System.nanoTime() < until && events.isAlive(), "the events client saw nothing");
                fifo("{\"id\":\"before-" + i + "\",\"cmd\":\"devices\"}");
                appears(out, "\"before", 500);
            }
            long pid = daemonPid();
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            daemon.waitFor(30, TimeUnit.SECONDS);
            Command.Result stale = capstan("stop");
            assertEquals(3, stale.exitCode(), stale::describe); // no daemon to stop
            assertTrue(stale.stderr().contains("crashed or was killed (pid " + pid + " is gone)"), stale::describe);
            daemon = launchDaemon("daemon-2.log");
            assertTrue(Files.readString(tmp.resolve("daemon-2.log")).contains("replacing its stale files"));
            fifo("{\"id\":\"after\",\"cmd\":\"devices\"}");
            waitFor(out, "\"after\"");
            assertTrue(Files.readString(tmp.resolve("events.err")).contains("reconnected"));
        } finally {
            // ./capstan is a script that runs the client as its child: end both, or the client outlives the test
            events.descendants().forEach(ProcessHandle::destroy);
            events.destroy();
            events.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The whole number after {@code key} in a JSON line, without parsing the rest (readers keep up). */
    static long number(String line, String key) {
        int i = line.indexOf(key);
        if (i < 0) {
            return -1;
        }
        long v = 0;
        for (int k = i + key.length(); k < line.length() && Character.isDigit(line.charAt(k)); k++) {
            v = v * 10 + (line.charAt(k) - '0');
        }
        return v;
    }

    static void fifo(String line) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "echo '" + line + "' > '" + runtime.resolve("control.fifo") + "'")
                .start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    }

    static void waitFor(Path file, String text) throws Exception {
        if (!appears(file, text, 30_000)) {
            throw new AssertionError("no " + text + " in " + file + ": " + (Files.exists(file) ? Files.readString(file) : ""));
        }
    }

    /** @return true once {@code text} is in {@code file}, false when it is not within {@code millis} */
    static boolean appears(Path file, String text, long millis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    @Order(9)
    void stopSealsRunningTakes() throws Exception {
        String take = null;
        if (sandbox != null) { // without PipeWire there is nothing to record: stop is still checked
            try (DaemonClient c = client(); DaemonClient levels = client()) {
                assertTrue(levels.call("{\"id\":1,\"cmd\":\"subscribe\",\"topics\":[\"capstan/level/*\"]}")
                        .path("ok").asBoolean());
                JsonNode start = c.call("{\"id\":1,\"cmd\":\"start\",\"device\":\"capstan-tone\"}");
                assertTrue(start.path("ok").asBoolean(), start::toString);
                take = start.path("result").path("take").asText();
                // Level events (opt-in by topic): the tone is fed at amplitude 0.5. A capture
                // through pw-record starts with a quantum of silence, so the first updates may be 0.
                JsonNode level = null;
                double peak = 0;
                for (int i = 0; i < 50 && peak < 0.4; i++) {
                    level = levels.read();
                    assertEquals("capstan/level/UPDATE", level.path("topic").asText(), level::toString);
                    assertEquals(take, level.path("data").path("take.id").asText());
                    peak = level.path("data").path("peak.0").asDouble();
                }
                JsonNode last = level;
                assertTrue(peak > 0.4 && peak < 0.6, () -> "no level update showed the tone; last " + last);
                // Let the take run past its first chunk before the daemon is stopped.
                for (int i = 0; i < 100; i++) {
                    JsonNode t = c.call("{\"id\":2,\"cmd\":\"take\",\"take\":\"" + take + "\"}");
                    if (t.path("result").path("frames").asLong() > 96_000) {
                        break;
                    }
                    levels.read(); // paces the loop at the level interval (100 ms)
                }
            }
        }
        Command.Result stop = capstan("stop");
        assertEquals(0, stop.exitCode(), stop::describe);
        assertTrue(daemon.waitFor(60, TimeUnit.SECONDS), "the daemon exited");
        assertFalse(Files.exists(runtime.resolve("control.sock")));
        assertFalse(Files.exists(runtime.resolve("daemon.pid")));
        Assumptions.assumeTrue(take != null, "needs a private PipeWire (tools/pw-sandbox check) to record a take");
        String id = take;
        Command.Result takes = capstan("takes"); // no daemon now: the product runs it
        assertEquals(0, takes.exitCode(), takes::describe);
        String line = takes.stdout().lines().filter(l -> l.startsWith(id)).findFirst().orElse("");
        assertTrue(line.contains("COMPLETE"), takes::describe);
    }
}
