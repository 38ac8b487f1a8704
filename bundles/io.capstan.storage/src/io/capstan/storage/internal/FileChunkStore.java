package io.capstan.storage.internal;

import io.capstan.api.AudioFormat;
import io.capstan.api.ChunkStore;
import io.capstan.api.Device;
import io.capstan.api.ExportResult;
import io.capstan.api.GarbageReport;
import io.capstan.api.ProgressListener;
import io.capstan.api.StorageException;
import io.capstan.api.StoreHealth;
import io.capstan.api.Take;
import io.capstan.api.TakeRecordingException;
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
import java.util.concurrent.atomic.AtomicLong;

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
    private final StoreSpace space;
    private final GarbageCollector collector;
    private final TakeIds ids = new TakeIds();
    private final Map<String, FileTakeWriter> writers = new ConcurrentHashMap<>();
    /** Bytes per second of every take recording into this store (for the low-space forecast). */
    private final AtomicLong recordingRate = new AtomicLong();
    private final Recovery.Result recovery;
    /** Why the store's layout could not be made at activation; null once it exists. */
    private volatile String layoutProblem;

    /**
     * Activates the store: resolves the home directory, creates its layout and recovers staging
     * left by a killed process (posting {@code capstan/take/RECOVERED} per take). A store that
     * cannot be written (read-only, full, not permitted) activates all the same: what it holds
     * can be listed, exported and verified, takes are refused with the reason ({@link #health()}),
     * and staging that could not be recovered is left as it is for the next start.
     *
     * @param eventAdmin where events are posted
     * @param config     home directory, chunk size, free-space reserve
     */
    @Activate
    public FileChunkStore(@Reference EventAdmin eventAdmin, StorageConfig config) {
        this(eventAdmin, new StoreSettings(StoreSettings.resolveHome(config.home(), System.getenv(),
                System.getProperty("user.home")), config.chunkSize(), WavWriter.RIFF_LIMIT, config.reserveBytes(),
                Math.max(0, config.lowSpaceWarningSeconds())));
    }

    /** Activates a store with resolved settings (tests use it to lower the RF64 threshold). */
    FileChunkStore(EventAdmin eventAdmin, StoreSettings settings) {
        this.settings = settings;
        this.events = new StoreEvents(Objects.requireNonNull(eventAdmin, "eventAdmin"));
        Path home = settings.home();
        this.staging = home.resolve("staging");
        this.objects = new ObjectStore(home.resolve("objects"));
        this.manifests = new ManifestStore(home.resolve("takes"), staging);
        this.space = new StoreSpace(home, settings.reserveBytes(), settings.warningSeconds());
        this.wav = new WavWriter(objects, settings.riffLimit());
        this.verifier = new Verifier(objects);
        this.collector = new GarbageCollector(objects, manifests, staging);
        this.layoutProblem = createLayout();
        this.recovery = layoutProblem == null
                ? new Recovery(staging, home.resolve("damaged"), objects, manifests).recoverAll()
                : Recovery.Result.NONE;
        recovery.recovered().forEach(r -> events.takeRecovered(r.take()));
        // said where the user looks (status, the refusal of a take), not on every command's terminal
        for (String problem : recovery.unfinished()) {
            LOG.log(System.Logger.Level.DEBUG, problem);
        }
        if (layoutProblem != null) {
            LOG.log(System.Logger.Level.DEBUG, layoutProblem);
        }
    }

    private static final System.Logger LOG = System.getLogger(FileChunkStore.class.getName());

    /** @return null when staging, objects and takes exist (made now where missing), else why not */
    private String createLayout() {
        Path home = settings.home();
        try {
            DurableFiles.createDirectories(staging);
            objects.createLayout();
            manifests.createLayout();
        } catch (IOException | RuntimeException e) {
            return "the store " + home + " cannot be written (" + describe(e) + "): takes cannot be recorded, "
                    + "what it holds can still be listed, exported and verified. Make it writable, or choose another "
                    + "store ('home' of configuration " + StorageConfig.PID + " or $CAPSTAN_HOME)";
        }
        try {
            objects.removeLeftoverTemporaries();
        } catch (IOException e) {
            // temporaries of killed processes waste space only; they are retried at the next start
        }
        return null;
    }

    /**
     * @return what to do about an I/O error of the store, by its cause: free space (ENOSPC),
     *         make the disk writable again (EROFS: ext4 turns read-only on an I/O error), check
     *         the disk (EIO and the rest)
     */
    static String advice(Throwable e) {
        String what = e == null ? "" : describe(e).toLowerCase(java.util.Locale.ROOT);
        if (what.contains("no space left")) {
            return "Free space there (delete or move takes) or choose another store ($CAPSTAN_HOME)";
        }
        if (what.contains("read-only")) {
            return "The file system turned read-only, as Linux does after an I/O error: see the kernel's log "
                    + "(dmesg), check the disk, and mount it read-write again";
        }
        return "Check the disk (the kernel's log, dmesg; fsck), or choose another store ($CAPSTAN_HOME)";
    }

    /** @return an I/O error for people: "read-only file system", "no space left on device", "permission denied" */
    static String describe(Throwable e) {
        if (e instanceof java.nio.file.FileAlreadyExistsException fae) {
            return "a file is in the way: " + fae.getFile() + " is not a directory";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason().toLowerCase(java.util.Locale.ROOT) + ": " + fse.getFile();
        }
        if (e instanceof java.nio.file.ReadOnlyFileSystemException) {
            return "read-only file system";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
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
        String refusal = recordingProblem(format);
        if (refusal != null) {
            throw new StorageException("cannot start a take: " + refusal);
        }
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
        long rate = format.bytesPerSecond();
        FileTakeWriter writer = new FileTakeWriter(take, dir, chunkFrames(format), objects, manifests, events,
                new FileTakeWriter.Space(space, recordingRate, settings.home()), w -> {
                    if (writers.remove(w.takeId()) != null) {
                        recordingRate.addAndGet(-rate);
                    }
                });
        recordingRate.addAndGet(rate);
        writers.put(id, writer);
        return writer;
    }

    /**
     * Why a take in {@code format} cannot start now: the layout could not be made, the store is
     * not writable, or its disk is at the reserve with less than two chunks to spare (of the
     * configured size when {@code format} is null). Null when it can.
     */
    private String recordingProblem(AudioFormat format) {
        if (layoutProblem != null) {
            layoutProblem = createLayout(); // made writable since? (recovery waits for the next start)
            if (layoutProblem != null) {
                return layoutProblem;
            }
        }
        Path home = settings.home();
        String notWritable = writeProbe();
        if (notWritable != null) {
            return "the store " + home + " is not writable (" + notWritable + "): make it writable, or choose another "
                    + "store ('home' of configuration " + StorageConfig.PID + " or $CAPSTAN_HOME); takes already "
                    + "stored can still be listed, exported and verified";
        }
        long usable = space.usable();
        long reserve = space.reserve();
        long need = 2L * (format == null ? settings.chunkBytes() : chunkFrames(format) * format.bytesPerFrame());
        if (usable - need <= reserve) {
            return "the store " + home + " has " + io.capstan.api.StoreHealth.bytes(usable) + " free of " + io.capstan.api.StoreHealth.bytes(space.total())
                    + ", at its free-space reserve of " + io.capstan.api.StoreHealth.bytes(reserve) + " (a take needs "
                    + io.capstan.api.StoreHealth.bytes(need) + " more to start). Free space on that disk (delete or move takes), "
                    + "choose another store ($CAPSTAN_HOME), or lower 'reserveBytes' of configuration " + StorageConfig.PID;
        }
        return null;
    }

    /**
     * Creates and deletes an empty file in {@code staging/}: the mount's flags and {@code access(2)}
     * miss a file system that turned read-only under its mount (ext4 after an I/O error keeps
     * "rw" and answers EROFS), so a real write tells. An empty file needs no data block: a full disk passes.
     *
     * @return why the store cannot be written, or null
     */
    private String writeProbe() {
        if (!Files.isWritable(staging) || !Files.isWritable(settings.home().resolve("objects"))) {
            return "read-only file system or no permission";
        }
        Path probe = staging.resolve(".write-probe-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            Files.delete(probe);
            return null;
        } catch (IOException | RuntimeException e) {
            return describe(e);
        }
    }

    @Override
    public StoreHealth health() {
        String problem = recordingProblem(null);
        return new StoreHealth(space.usable(), space.total(), space.reserve(), problem, recovery.unfinished(),
                settings.warningSeconds());
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

    @Override
    public Take delete(String takeId) throws StorageException {
        Take take = manifests.read(takeId).orElseThrow(() -> new UnknownTakeException(takeId));
        if (writers.containsKey(takeId) || take.state() == TakeState.RECORDING) {
            throw new TakeRecordingException(takeId, "stop it first (capstan stop-take " + takeId + "), then remove it"
                    + (writers.containsKey(takeId) ? ""
                            : " (or, if no Capstan records it, start Capstan once so that it is recovered)"));
        }
        Path dir = staging.resolve(takeId);
        try {
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
            // last: until the manifest goes, the take is listed and can be removed again
            Files.delete(manifests.path(takeId));
            DurableFiles.syncDirectory(manifests.path(takeId).getParent());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UnknownTakeException(takeId);
        } catch (IOException e) {
            throw new StorageException("cannot remove take '" + takeId + "': " + describe(e) + ". "
                    + advice(e), e);
        }
        events.takeDeleted(take);
        return take;
    }

    @Override
    public GarbageReport collectGarbage(long graceSeconds, ProgressListener progress) throws StorageException {
        GarbageReport report = collector.collect(graceSeconds, progress == null ? ProgressListener.NONE : progress);
        events.garbageCollected(settings.home(), report);
        return report;
    }

    @Override
    public Take note(String takeId, String note) throws StorageException {
        String text = note == null || note.isBlank() ? null : note.strip();
        if (text != null && text.length() > MAX_NOTE_CHARS) {
            throw new IllegalArgumentException("a note holds at most " + MAX_NOTE_CHARS + " characters; this one has "
                    + text.length());
        }
        synchronized (writers) {
            Take take = manifests.read(takeId).orElseThrow(() -> new UnknownTakeException(takeId));
            if (writers.containsKey(takeId) || take.state() == TakeState.RECORDING) {
                throw new TakeRecordingException(takeId, "add the note once it has ended");
            }
            Take noted = take.withNote(text);
            manifests.write(noted);
            return noted;
        }
    }
}
