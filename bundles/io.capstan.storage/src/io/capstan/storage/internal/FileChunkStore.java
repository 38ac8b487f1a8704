package io.capstan.storage.internal;

import io.capstan.api.AudioFormat;
import io.capstan.api.ChunkStore;
import io.capstan.api.Device;
import io.capstan.api.ExportResult;
import io.capstan.api.ProgressListener;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeWriter;
import io.capstan.api.UnknownTakeException;
import io.capstan.api.VerifyReport;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chunk store on the local file system, under {@link #home()}: {@code staging/},
 * {@code objects/}, {@code takes/} and {@code damaged/} (staging files recovery could not read).
 * Immediate, because staging left by a killed process is recovered at activation.
 */
@Component(service = ChunkStore.class, immediate = true, configurationPid = StorageConfig.PID)
@Designate(ocd = StorageConfig.class)
public final class FileChunkStore implements ChunkStore {

    /** How long deactivation waits for a take's queued seals. */
    private static final Duration SEAL_TIMEOUT = Duration.ofSeconds(30);
    private static final int ID_ATTEMPTS = 16;

    private final StoreSettings settings;
    private final Path staging;
    private final ObjectStore objects;
    private final ManifestStore manifests;
    private final StoreEvents events;
    private final WavWriter wav;
    private final Verifier verifier;
    private final TakeIds ids = new TakeIds();
    private final Map<String, FileTakeWriter> writers = new ConcurrentHashMap<>();
    private final Recovery.Result recovery;

    /**
     * Activates the store: resolves the home directory, creates its layout and recovers staging
     * left by a killed process (posting {@code capstan/take/RECOVERED} per take).
     *
     * @param eventAdmin where events are posted
     * @param config     home directory and chunk size
     * @throws StorageException when the home cannot be created or recovery fails
     */
    @Activate
    public FileChunkStore(@Reference EventAdmin eventAdmin, StorageConfig config) throws StorageException {
        this(eventAdmin, new StoreSettings(StoreSettings.resolveHome(config.home(), System.getenv(),
                System.getProperty("user.home")), config.chunkSize(), WavWriter.RIFF_LIMIT));
    }

    /** Activates a store with resolved settings (tests use it to lower the RF64 threshold). */
    FileChunkStore(EventAdmin eventAdmin, StoreSettings settings) throws StorageException {
        this.settings = settings;
        this.events = new StoreEvents(Objects.requireNonNull(eventAdmin, "eventAdmin"));
        Path home = settings.home();
        try {
            this.staging = DurableFiles.createDirectories(home.resolve("staging"));
            this.objects = new ObjectStore(home.resolve("objects"));
            this.manifests = new ManifestStore(home.resolve("takes"), staging);
            objects.removeLeftoverTemporaries();
        } catch (IOException e) {
            throw new StorageException("cannot create the store in " + home + ": " + e.getMessage()
                    + " (set 'home' of configuration " + StorageConfig.PID + " or $CAPSTAN_HOME)", e);
        }
        this.wav = new WavWriter(objects, settings.riffLimit());
        this.verifier = new Verifier(objects);
        this.recovery = new Recovery(staging, home.resolve("damaged"), objects, manifests).recoverAll();
        recovery.recovered().forEach(r -> events.takeRecovered(r.take()));
    }

    /**
     * Stops accepting frames and shuts down every open take's storage thread after its queued
     * seals; the chunks being written stay in staging and are recovered at the next activation.
     *
     * @throws InterruptedException when interrupted while waiting for the seals
     */
    @Deactivate
    void deactivate() throws InterruptedException {
        for (FileTakeWriter w : List.copyOf(writers.values())) {
            w.shutdown(SEAL_TIMEOUT);
            writers.remove(w.takeId());
        }
    }

    @Override
    public Path home() {
        return settings.home();
    }

    /** @return what recovery did at activation */
    Recovery.Result recovery() {
        return recovery;
    }

    /** @return frames per chunk in {@code format}: the configured chunk size rounded down to whole frames, at least 1 */
    long chunkFrames(AudioFormat format) {
        return Math.max(1, settings.chunkBytes() / format.bytesPerFrame());
    }

    @Override
    public TakeWriter begin(Device device, AudioFormat format) throws StorageException {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(format, "format");
        Instant now = Instant.now();
        String id = null;
        Path dir = null;
        for (int i = 0; i < ID_ATTEMPTS && dir == null; i++) {
            id = ids.next(now);
            try {
                if (!Files.exists(manifests.path(id))) {
                    dir = Files.createDirectory(staging.resolve(id));
                }
            } catch (FileAlreadyExistsException e) {
                continue; // same millisecond, same random bits: draw again
            } catch (IOException e) {
                throw new StorageException("cannot create the staging directory of a new take in " + staging + ": "
                        + e.getMessage(), e);
            }
        }
        if (dir == null) {
            throw new StorageException("cannot find a free take id in " + staging + " after " + ID_ATTEMPTS + " tries");
        }
        try {
            DurableFiles.syncDirectory(staging);
        } catch (IOException e) {
            throw new StorageException("cannot sync " + staging + ": " + e.getMessage(), e);
        }
        Take take = new Take(id, device.id(), device.description(), device.backend(), format, TakeState.RECORDING,
                now, null, 0, List.of(), null);
        manifests.write(take);
        FileTakeWriter writer = new FileTakeWriter(take, dir, chunkFrames(format), objects, manifests, events,
                w -> writers.remove(w.takeId()));
        writers.put(id, writer);
        return writer;
    }

    @Override
    public List<Take> takes() throws StorageException {
        return manifests.list();
    }

    @Override
    public Optional<Take> take(String takeId) throws StorageException {
        return manifests.read(takeId);
    }

    @Override
    public ExportResult export(String takeId, Path file, ProgressListener progress) throws StorageException {
        Take take = manifests.read(takeId).orElseThrow(() -> new UnknownTakeException(takeId));
        return wav.export(take, file, progress == null ? ProgressListener.NONE : progress);
    }

    @Override
    public VerifyReport verify(String takeId, ProgressListener progress) throws StorageException {
        List<Take> takes = takeId == null ? manifests.list()
                : List.of(manifests.read(takeId).orElseThrow(() -> new UnknownTakeException(takeId)));
        return verifier.verify(takes, progress == null ? ProgressListener.NONE : progress);
    }
}
