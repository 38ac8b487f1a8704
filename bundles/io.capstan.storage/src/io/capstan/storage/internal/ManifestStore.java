package io.capstan.storage.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.capstan.api.AudioFormat;
import io.capstan.api.ChunkRef;
import io.capstan.api.SampleFormat;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.TakeStatistics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Take manifests, {@code takes/<take>.json}, read and written with Jackson through a versioned
 * file format (the DTOs below) so the API records can evolve apart from the files. Writes are
 * atomic (temporary file, fsync, rename, fsync directory). A take that is still RECORDING has its
 * sealed chunks in its {@link ChunkLog} ({@code staging/<take>/chunks.log}), which {@link #read}
 * adds, so that every reader sees the chunks sealed so far. Thread-safe.
 */
final class ManifestStore {

    /** Version of the manifest file format written. */
    static final int FORMAT_VERSION = 1;
    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Path staging;
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param dir     the {@code takes} directory (made by {@link #createLayout})
     * @param staging the {@code staging} directory, where the chunk logs of recording takes are
     */
    ManifestStore(Path dir, Path staging) {
        this.dir = dir.toAbsolutePath();
        this.staging = staging.toAbsolutePath();
    }

    /** @return manifests in {@code dir} with the directory created */
    static ManifestStore open(Path dir, Path staging) throws IOException {
        ManifestStore store = new ManifestStore(dir, staging);
        store.createLayout();
        return store;
    }

    /** Creates the {@code takes} directory when missing. */
    void createLayout() throws IOException {
        DurableFiles.createDirectories(dir);
    }

    /** @return the chunk log of a take while it records */
    Path chunkLog(String takeId) {
        return staging.resolve(takeId).resolve(ChunkLog.FILE_NAME);
    }

    /** @return the manifest file of a take */
    Path path(String takeId) {
        return dir.resolve(takeId + SUFFIX);
    }

    /** Writes (or replaces) the manifest of {@code take} atomically. */
    void write(Take take) throws StorageException {
        try {
            DurableFiles.writeAtomically(path(take.id()), mapper.writeValueAsBytes(ManifestDto.of(take)));
        } catch (IOException e) {
            throw new StorageException("cannot write the manifest of take '" + take.id() + "' to " + path(take.id())
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * @return the take, or empty when it has no manifest; a RECORDING take with the chunks of its
     *         chunk log added (those with a higher index than the manifest's last)
     */
    Optional<Take> read(String takeId) throws StorageException {
        if (!TakeIds.isValid(takeId)) {
            return Optional.empty();
        }
        Path file = path(takeId);
        try {
            Take take = mapper.readValue(Files.readAllBytes(file), ManifestDto.class).toTake();
            return Optional.of(take.state() == TakeState.RECORDING ? withLoggedChunks(take) : take);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StorageException("manifest " + file + " is damaged: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException("cannot read manifest " + file + ": " + e.getMessage(), e);
        }
    }

    private Take withLoggedChunks(Take take) throws StorageException {
        Path log = chunkLog(take.id());
        List<ChunkRef> logged;
        try {
            logged = ChunkLog.read(log);
        } catch (IOException e) {
            throw new StorageException("cannot read the chunk log " + log + " of take '" + take.id() + "': "
                    + e.getMessage(), e);
        }
        if (logged.isEmpty()) {
            return take;
        }
        List<ChunkRef> chunks = new ArrayList<>(take.chunks());
        int last = chunks.isEmpty() ? -1 : chunks.get(chunks.size() - 1).index();
        long frames = take.frames();
        for (ChunkRef r : logged) {
            if (r.index() > last) {
                chunks.add(r);
                frames = r.firstFrame() + r.frames();
                last = r.index();
            }
        }
        return new Take(take.id(), take.deviceId(), take.description(), take.backend(), take.format(), take.state(),
                take.startedAt(), take.endedAt(), frames, chunks, take.reason(), take.statistics());
    }

    /** @return every take with a manifest, oldest first (by start time, then id) */
    List<Take> list() throws StorageException {
        List<Take> takes = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return takes; // a store that could not be created holds no takes yet
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String id = name.substring(0, name.length() - SUFFIX.length());
                if (TakeIds.isValid(id)) {
                    read(id).ifPresent(takes::add);
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot list manifests in " + dir + ": " + e.getMessage(), e);
        }
        takes.sort(Comparator.comparing(Take::startedAt).thenComparing(Take::id));
        return takes;
    }

    /**
     * The manifest as stored.
     *
     * @param version file format version ({@link #FORMAT_VERSION})
     */
    record ManifestDto(int version, String id, String deviceId, String description, String backend,
            FormatDto format, String state, String startedAt, String endedAt, long frames, List<ChunkDto> chunks,
            String reason, StatisticsDto statistics, String note) {

        static ManifestDto of(Take t) {
            List<ChunkDto> chunks = t.chunks().stream().map(ChunkDto::of).toList();
            return new ManifestDto(FORMAT_VERSION, t.id(), t.deviceId(), t.description(), t.backend(),
                    FormatDto.of(t.format()), t.state().name(), t.startedAt().toString(),
                    t.endedAt() == null ? null : t.endedAt().toString(), t.frames(), chunks, t.reason(),
                    t.statistics() == null ? null : StatisticsDto.of(t.statistics()), t.note());
        }

        Take toTake() {
            if (version > FORMAT_VERSION) {
                throw new IllegalArgumentException("manifest format version " + version
                        + " is newer than this Capstan understands (" + FORMAT_VERSION + ")");
            }
            List<ChunkRef> refs = chunks == null ? List.of() : chunks.stream().map(ChunkDto::toRef).toList();
            return new Take(id, deviceId, description, backend, format.toFormat(), TakeState.valueOf(state),
                    Instant.parse(startedAt), endedAt == null ? null : Instant.parse(endedAt), frames, refs, reason,
                    statistics == null ? null : statistics.toStatistics(), note);
        }
    }

    /**
     * Stored statistics (optional: absent in manifests of recovered takes and of older versions).
     * Times in ns.
     */
    record StatisticsDto(long callbacks, long frames, long bytes, int chunks, long overruns, long overrunFrames,
            long xruns, long xrunFrames, long longestCallbackNanos, long p99CallbackNanos) {

        static StatisticsDto of(TakeStatistics s) {
            return new StatisticsDto(s.callbacks(), s.frames(), s.bytes(), s.chunks(), s.overruns(), s.overrunFrames(),
                    s.xruns(), s.xrunFrames(), s.longestCallbackNanos(), s.p99CallbackNanos());
        }

        TakeStatistics toStatistics() {
            return new TakeStatistics(callbacks, frames, bytes, chunks, overruns, overrunFrames, xruns, xrunFrames,
                    longestCallbackNanos, p99CallbackNanos);
        }
    }

    /**
     * A stored format.
     *
     * @param sampleRate Hz
     */
    record FormatDto(int sampleRate, int channels, String sampleFormat) {

        static FormatDto of(AudioFormat f) {
            return new FormatDto(f.sampleRate(), f.channels(), f.sampleFormat().name());
        }

        AudioFormat toFormat() {
            return new AudioFormat(sampleRate, channels, SampleFormat.parse(sampleFormat));
        }
    }

    /** A stored chunk reference; fields as {@link ChunkRef}, times as ISO-8601 text. */
    record ChunkDto(int index, String sha256, long firstFrame, long frames, long bytes, String sealedAt) {

        static ChunkDto of(ChunkRef r) {
            return new ChunkDto(r.index(), r.sha256(), r.firstFrame(), r.frames(), r.bytes(),
                    r.sealedAt() == null ? null : r.sealedAt().toString());
        }

        ChunkRef toRef() {
            return new ChunkRef(index, sha256, firstFrame, frames, bytes, sealedAt == null ? null : Instant.parse(sealedAt));
        }
    }
}
