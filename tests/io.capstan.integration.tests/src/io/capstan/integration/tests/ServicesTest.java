package io.capstan.integration.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.DeviceRegistry;
import io.capstan.transport.fifo.SidecarLauncher;

/** Every Capstan component comes up through SCR in a real Equinox framework. */
class ServicesTest {

    @Test
    void registersChunkStoreInCapstanHome() throws Exception {
        ChunkStore store = Services.await(ChunkStore.class);
        assertEquals(System.getenv("CAPSTAN_HOME"), store.home().toString());
    }

    @Test
    void registersDeviceRegistryWithSidecarBackend() throws Exception {
        DeviceRegistry registry = Services.await(DeviceRegistry.class);
        Services.await("(&(objectClass=" + CaptureBackend.class.getName() + ")(component.name=*Sidecar*))");
        assertTrue(registry.backends().stream().anyMatch(b -> b.id().equals("sidecar")),
                "backends: " + registry.backends());
    }

    @Test
    void registersCaptureServiceAndSidecarLauncher() throws Exception {
        assertNotNull(Services.await(CaptureService.class));
        SidecarLauncher launcher = Services.await(SidecarLauncher.class);
        assertTrue(launcher.runtimeDirectory().toString().contains("capstan"), launcher.runtimeDirectory().toString());
    }

    @Test
    void registersGogoCommandsInCapstanScope() throws Exception {
        Services.await("(osgi.command.scope=capstan)");
        ServiceReference<?>[] refs = Services.context().getServiceReferences((String) null,
                "(osgi.command.scope=capstan)");
        Object functions = refs[0].getProperty("osgi.command.function");
        assertEquals("[await, devices, export, gc, note, record, rm, status, stoptake, take, takes, verify]",
                Arrays.toString(Arrays.stream((String[]) functions).sorted().toArray()));
    }
}
