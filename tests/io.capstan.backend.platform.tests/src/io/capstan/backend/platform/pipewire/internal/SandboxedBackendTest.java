package io.capstan.backend.platform.pipewire.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

import io.capstan.test.pipewire.Sandbox;

/**
 * What every test class of the backend against a private PipeWire shares: one
 * {@link BackendSandbox} per class, started before its tests and closed after them; each test is
 * reported skipped, with the reason, when it could not start (no PipeWire on the machine).
 */
abstract class SandboxedBackendTest {

    static final int RATE = BackendSandbox.RATE;

    @TempDir
    static Path tmp;

    static BackendSandbox fixture;
    static Sandbox sandbox;
    static PipeWireBackend backend;

    private static String skipReason;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        skipReason = null;
        try {
            fixture = BackendSandbox.start(tmp.resolve("sb"));
        } catch (TestAbortedException e) {
            skipReason = e.getMessage();
            return;
        }
        sandbox = fixture.sandbox;
        backend = fixture.backend;
    }

    @BeforeEach
    void needsTheSetUp() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
            fixture = null;
            sandbox = null;
            backend = null;
        }
    }
}
