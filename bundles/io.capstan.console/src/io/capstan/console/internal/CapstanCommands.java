package io.capstan.console.internal;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.DeviceRegistry;

/**
 * Gogo commands of scope {@code capstan}. Each parses its arguments and calls the API through
 * {@link Commands}; output goes to the session's standard output.
 */
@Component(service = CapstanCommands.class, property = { "osgi.command.scope=capstan",
        "osgi.command.function=devices", "osgi.command.function=record", "osgi.command.function=takes",
        "osgi.command.function=export", "osgi.command.function=verify", "osgi.command.function=status", "osgi.command.function=await" })
public final class CapstanCommands {

    private final DeviceRegistry registry;
    private final CaptureService capture;
    private final ChunkStore store;

    @Activate
    public CapstanCommands(@Reference DeviceRegistry registry, @Reference CaptureService capture,
            @Reference ChunkStore store) {
        this.registry = registry;
        this.capture = capture;
        this.store = store;
    }

    private Commands commands() {
        // System.out is the Gogo session's stream while a command runs
        return new Commands(registry, capture, store, System.out, System.out);
    }

    /** {@code capstan:devices}: one line per device. */
    public void devices() {
        commands().devices();
    }

    /** {@code capstan:record <device> <seconds>}: records in the device's native format. */
    public void record(String device, double seconds) throws InterruptedException {
        commands().record(device, seconds, null, null, null, null);
    }

    /** {@code capstan:record <device> <seconds> <file.wav>}: records and exports. */
    public void record(String device, double seconds, String wav) throws InterruptedException {
        commands().record(device, seconds, null, null, null, Path.of(wav));
    }

    /** {@code capstan:await <device> <seconds>}: waits until the device exists, prints it. */
    public void await(String device, double seconds) throws InterruptedException {
        commands().await(device, seconds);
    }

    /** {@code capstan:takes}: every take in the store. */
    public void takes() {
        commands().takes();
    }

    /** {@code capstan:export <take> <file.wav>}. */
    public void export(String take, String wav) {
        commands().export(take, Path.of(wav));
    }

    /** {@code capstan:verify}: re-hashes every chunk of every take. */
    public void verify() {
        commands().verify(null);
    }

    /** {@code capstan:verify <take>}: re-hashes the chunks of one take. */
    public void verify(String take) {
        commands().verify(take);
    }

    /** {@code capstan:status}: store, backends, takes recording. */
    public void status() {
        commands().status();
    }
}
