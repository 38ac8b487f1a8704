package io.capstan.daemon.internal;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.api.ActiveTake;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureRequest;
import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.Device;
import io.capstan.api.DeviceNotFoundException;
import io.capstan.api.DeviceRegistry;
import io.capstan.storage.internal.FuzzStores;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Any line a client may send to the control socket (and the HTTP input, the file queue and the
 * FIFO, which carry the same requests) gets one reply object, ok or an error with a code; the
 * handler never throws, and no request reaches its catch-all (code INTERNAL: a bug). The store is
 * a real one, empty, in a temporary directory; no device exists, so no take starts and no file is
 * written wherever a request asks.
 */
class ProtocolFuzzTest {

    @TempDir
    static Path dir;
    private static CommandHandler handler;

    @BeforeAll
    static void open() throws Exception {
        DaemonConfig config = (DaemonConfig) Proxy.newProxyInstance(DaemonConfig.class.getClassLoader(),
                new Class<?>[] {DaemonConfig.class}, (p, m, a) -> m.getName().equals("runtimeDir")
                        ? dir.resolve("run").toString() : m.getDefaultValue());
        ChunkStore store = FuzzStores.empty(dir.resolve("home"));
        handler = new CommandHandler(config, new NoDevices(), new NoCapture(), store, new EventJournal(16),
                new DaemonState());
    }

    @FuzzTest(maxDuration = "5s")
    void request(String line) {
        ObjectNode reply = handler.handleText(line, "fuzz");
        assertNotNull(reply);
        JsonNode ok = reply.get("ok");
        assertTrue(ok != null && ok.isBoolean(), reply.toString());
        if (!ok.asBoolean()) {
            String code = reply.path("error").path("code").asText();
            assertTrue(!code.isEmpty(), reply.toString());
            assertNotEquals(RequestException.INTERNAL, code, "a request reached the catch-all: " + reply);
        }
    }

    /** A registry without devices or backends: every lookup fails at once. */
    private static final class NoDevices implements DeviceRegistry {
        @Override
        public List<Device> devices() {
            return List.of();
        }

        @Override
        public Optional<Device> find(String id) {
            return Optional.empty();
        }

        @Override
        public Device await(String id, Duration timeout) throws DeviceNotFoundException {
            throw new DeviceNotFoundException(id, List.of(), "");
        }

        @Override
        public List<CaptureBackend> backends() {
            return List.of();
        }
    }

    /** Capture that is never reached (no device resolves) and has nothing running. */
    private static final class NoCapture implements CaptureService {
        @Override
        public ActiveTake start(CaptureRequest request) {
            throw new AssertionError("no device exists, so no take can start: " + request);
        }

        @Override
        public List<ActiveTake> active() {
            return List.of();
        }
    }
}
