package io.capstan.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.opentest4j.TestAbortedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import io.capstan.api.CapstanEvents;
import io.capstan.api.CaptureBackend;
import io.capstan.api.DeviceRegistry;
import io.capstan.test.pipewire.Sandbox;

/**
 * The PipeWire fragment's component in a real framework, pointed by Configuration Admin at a
 * private PipeWire: devices hot-plugged with pw-cli reach the registry and EventAdmin as
 * {@code capstan/device/ADDED|REMOVED} within 100 ms.
 */
class PipeWireHotPlugTest {

    private static final String PID = "io.capstan.backend.pipewire";

    @TempDir
    static Path tmp;

    private static Sandbox sandbox;
    private static Configuration configuration;
    private static DeviceRegistry registry;

    private static String skipReason;

    @BeforeAll
    static void pointTheBackendAtASandbox() throws Exception {
        try {
            sandbox = Sandbox.start(tmp.resolve("sb"), "--tone", "it-pw-tone:440:0.5");
        } catch (TestAbortedException e) {
            skipReason = e.getMessage();
            return;
        }
        configuration = Services.await(ConfigurationAdmin.class).getConfiguration(PID, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("remote", sandbox.socket());
        configuration.update(props);
        registry = Services.await(DeviceRegistry.class);
        registry.await("it-pw-tone", Duration.ofSeconds(20));
    }

    /** Each test is reported skipped, with the reason, when the class could not set up (no PipeWire). */
    @BeforeEach
    void needsTheSetUp() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @AfterAll
    static void stopSandbox() throws Exception {
        if (configuration != null) {
            configuration.delete();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void backendIsTheFragmentsComponentAndListsTheSandboxSource() {
        CaptureBackend pipewire = registry.backends().stream().filter(b -> b.id().equals("pipewire")).findFirst()
                .orElseThrow(() -> new AssertionError("no pipewire backend: " + registry.backends()));
        assertEquals(null, pipewire.problem());
        assertEquals("pipewire", registry.find("it-pw-tone").orElseThrow().backend());
    }

    @Test
    void postsAddedAndRemovedWithin100MsOfTheGlobal() throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, new String[] { CapstanEvents.DEVICE_ADDED, CapstanEvents.DEVICE_REMOVED });
        props.put(EventConstants.EVENT_FILTER, "(device.id=it-pw-plug)");
        ServiceRegistration<EventHandler> handler = Services.context().registerService(EventHandler.class,
                events::add, props);
        try {
            sandbox.createSource("it-pw-plug");
            long created = System.nanoTime();
            Event added = events.poll(5, TimeUnit.SECONDS);
            long addMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created);
            assertTrue(added != null && added.getTopic().equals(CapstanEvents.DEVICE_ADDED), "ADDED: " + added);
            assertEquals("pipewire", added.getProperty(CapstanEvents.BACKEND));
            assertTrue(registry.find("it-pw-plug").isPresent(), "listed: " + registry.devices());

            sandbox.tool("pw-cli", "destroy", "it-pw-plug");
            long destroyed = System.nanoTime();
            Event removed = events.poll(5, TimeUnit.SECONDS);
            long removeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - destroyed);
            assertTrue(removed != null && removed.getTopic().equals(CapstanEvents.DEVICE_REMOVED),
                    "REMOVED: " + removed);
            assertTrue(registry.find("it-pw-plug").isEmpty(), "unlisted: " + registry.devices());

            assertTrue(addMillis <= 100, "ADDED " + addMillis + " ms after pw-cli created the node");
            assertTrue(removeMillis <= 100, "REMOVED " + removeMillis + " ms after pw-cli destroyed it");
        } finally {
            handler.unregister();
        }
    }

    @Test
    void postsDefaultWhenPipeWireNamesAnotherDefaultSource() throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, new String[] { CapstanEvents.DEVICE_DEFAULT });
        ServiceRegistration<EventHandler> handler = Services.context().registerService(EventHandler.class,
                events::add, props);
        try {
            sandbox.createSource("it-pw-other");
            registry.await("it-pw-other", Duration.ofSeconds(5));
            sandbox.tool("pw-metadata", "0", "default.audio.source", "{\"name\":\"it-pw-other\"}", "Spa:String:JSON");
            Event chosen = awaitDefault(events, "it-pw-other");
            assertEquals("pipewire", chosen.getProperty(CapstanEvents.BACKEND));
            assertEquals("it-pw-other", registry.find("default").orElseThrow().id());

            sandbox.tool("pw-metadata", "0", "default.audio.source", "{\"name\":\"it-pw-tone\"}", "Spa:String:JSON");
            awaitDefault(events, "it-pw-tone");
        } finally {
            handler.unregister();
            sandbox.tool("pw-cli", "destroy", "it-pw-other");
        }
    }

    /** @return the first DEFAULT event naming {@code id} (others may come first: WirePlumber picks too) */
    private static Event awaitDefault(BlockingQueue<Event> events, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<Object> seen = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            Event e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null) {
                seen.add(e.getProperty(CapstanEvents.DEVICE_ID));
                if (id.equals(e.getProperty(CapstanEvents.DEVICE_ID))) {
                    return e;
                }
            }
        }
        throw new AssertionError("no capstan/device/DEFAULT for " + id + " within 5 s; got " + seen);
    }
}
