package io.capstan.storage.internal;

import io.capstan.api.AudioFormat;
import io.capstan.api.ChunkRef;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recovers the staging directories a killed process left behind: seals every chunk's written
 * frames (as its header counts them) that the take's manifest and {@link ChunkLog} do not list
 * yet, writes the manifest with every chunk and marks the take RECOVERED. Files that cannot be read as chunks are moved to {@code damaged/<take>/}, never
 * deleted. Runs at activation, before any take begins.
 */
final class Recovery {

    /** Reason recorded in a recovered take. */
    static final String REASON = "recovered after the recording process ended unexpectedly";
    /**
     * A file in {@code staging/<take>/} that says the take failed in a running process (a full
     * disk, an I/O error) rather than with it: recovery then keeps the take FAILED. It holds the
     * reason in UTF-8 when there was room for it, else nothing (an empty file needs no data block).
     */
    static final String FAILED_MARK = "failed";

    private final Path stagingRoot;
    private final Path damagedRoot;
    private final ObjectStore objects;
    private final ManifestStore manifests;

    /**
     * @param stagingRoot {@code staging/}
     * @param damagedRoot {@code damaged/}, where unreadable staging files are kept
     */
    Recovery(Path stagingRoot, Path damagedRoot, ObjectStore objects, ManifestStore manifests) {
        this.stagingRoot = stagingRoot;
        this.damagedRoot = damagedRoot;
        this.objects = objects;
        this.manifests = manifests;
    }

    /**
     * One recovered take.
     *
     * @param take       its final manifest (state RECOVERED)
     * @param keptAside  staging files that could not be read as chunks, now under {@code damaged/}
     */
    record Recovered(Take take, List<Path> keptAside) {
    }

    /**
     * What recovery did.
     *
     * @param recovered takes recovered, in id order
     * @param keptAside every file moved to {@code damaged/} (also those of the recovered takes)
     */
    record Result(List<Recovered> recovered, List<Path> keptAside, List<String> unfinished) {

        /** Nothing recovered (the store could not be opened for writing). */
        static final Result NONE = new Result(List.of(), List.of(), List.of());

        Result {
            recovered = List.copyOf(recovered);
            keptAside = List.copyOf(keptAside);
            unfinished = List.copyOf(unfinished);
        }
    }

    /**
     * Recovers every directory under {@code staging/}. A take that cannot be recovered now (a full
     * disk, a read-only store, an I/O error) keeps its files as they are, is named in
     * {@link Result#unfinished} and is tried again at the next start; the others go on.
     */
    Result recoverAll() {
        List<Path> dirs = new ArrayList<>();
        List<String> unfinished = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(stagingRoot, Files::isDirectory)) {
            ds.forEach(dirs::add);
        } catch (IOException e) {
            unfinished.add("cannot list " + stagingRoot + " to recover takes left by a killed process: " + e.getMessage()
                    + "; tried again at the next start");
        }
        dirs.sort(Comparator.naturalOrder());
        List<Recovered> recovered = new ArrayList<>();
        List<Path> aside = new ArrayList<>();
        for (Path dir : dirs) {
            try {
                recover(dir, aside).ifPresent(recovered::add);
            } catch (StorageException e) {
                unfinished.add(e.getMessage() + "; tried again at the next start");
            }
        }
        return new Result(recovered, aside, unfinished);
    }

    private record Found(Path file, StagingChunk.Header header) {
    }

    /**
     * Recovers one staging directory.
     *
     * @param aside collects the files moved to {@code damaged/}
     * @return the recovered take; empty when nothing belonged to a take that needed recovery
     */
    Optional<Recovered> recover(Path dir, List<Path> aside) throws StorageException {
        String takeId = dir.getFileName().toString();
        try {
            List<Found> chunks = new ArrayList<>();
            List<Path> damaged = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path f : ds) {
                    String name = f.getFileName().toString();
                    if (name.equals(ChunkLog.FILE_NAME) || name.equals(FAILED_MARK)) {
                        continue; // read with the manifest (ManifestStore.read) or below; deleted once that is final
                    }
                    try {
                        chunks.add(new Found(f, StagingChunk.readHeader(f)));
                    } catch (IOException e) {
                        damaged.add(f); // torn, truncated or foreign: kept, never deleted
                    }
                }
            }
            chunks.sort(Comparator.comparingInt(c -> c.header().index()));
            Optional<Take> manifest = TakeIds.isValid(takeId) ? readQuietly(takeId) : Optional.empty();
            Optional<AudioFormat> format = manifest.map(Take::format)
                    .or(() -> chunks.stream().map(c -> c.header().format()).findFirst());
            if (!TakeIds.isValid(takeId) || format.isEmpty()) {
                // nothing here can be attributed to a take: keep all of it
                chunks.forEach(c -> damaged.add(c.file()));
                if (Files.exists(dir.resolve(ChunkLog.FILE_NAME))) {
                    damaged.add(dir.resolve(ChunkLog.FILE_NAME));
                }
                aside.addAll(moveAside(takeId, damaged));
                removeDir(dir);
                return Optional.empty();
            }
            for (Found c : List.copyOf(chunks)) {
                if (!c.header().format().equals(format.get())) {
                    chunks.remove(c); // another format than the take's: not part of it
                    damaged.add(c.file());
                }
            }
            boolean hasData = chunks.stream().anyMatch(c -> c.header().frames() > 0);
            Path mark = dir.resolve(FAILED_MARK);
            if (manifest.isPresent() && manifest.get().state().isFinal() && !hasData && damaged.isEmpty()) {
                deleteAll(chunks); // finished take whose process died while removing its staging
                Files.deleteIfExists(dir.resolve(ChunkLog.FILE_NAME));
                Files.deleteIfExists(mark);
                removeDir(dir);
                return Optional.empty();
            }
            Take base = manifest.isPresent() ? manifest.get() : placeholder(takeId, format.get(), dir, damaged);
            Take recovered = seal(base, chunks, lastModified(dir, chunks));
            String failedReason = failedReason(base, mark);
            if (failedReason != null) {
                int added = recovered.chunks().size() - base.chunks().size();
                recovered = new Take(recovered.id(), recovered.deviceId(), recovered.description(), recovered.backend(),
                        recovered.format(), TakeState.FAILED, recovered.startedAt(), recovered.endedAt(),
                        recovered.frames(), recovered.chunks(), failedReason + (added == 0 ? ""
                                : "; " + added + " chunk(s) left in staging were sealed when the store opened again"),
                        base.statistics());
            }
            List<Path> moved = moveAside(takeId, damaged);
            aside.addAll(moved);
            if (!moved.isEmpty()) {
                recovered = withReason(recovered, recovered.reason() + "; " + moved.size()
                        + " unreadable staging file(s) kept in " + damagedRoot.resolve(takeId));
            }
            manifests.write(recovered);
            deleteAll(chunks);
            Files.deleteIfExists(dir.resolve(ChunkLog.FILE_NAME)); // its chunks are in the manifest now
            Files.deleteIfExists(mark);
            removeDir(dir);
            return Optional.of(new Recovered(recovered, moved));
        } catch (IOException e) {
            throw new StorageException("cannot recover take '" + takeId + "' from " + dir + ": " + e.getMessage()
                    + "; its files were left in place", e);
        }
    }

    /**
     * Leaves {@link #FAILED_MARK} in a take's staging directory, holding the reason when there is
     * room for it (an empty file, which needs no data block, when there is not), unless it holds
     * one already. Nothing when not even that can be written: the take then comes back RECOVERED.
     */
    static void markFailed(Path stagingDir, String reason) {
        Path mark = stagingDir.resolve(FAILED_MARK);
        try {
            if (Files.size(mark) > 0) {
                return; // written when the failure happened
            }
        } catch (IOException e) {
            // no mark yet
        }
        try {
            Files.writeString(mark, reason, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(mark);
                Files.createFile(mark);
            } catch (IOException again) {
                // not even an inode
            }
        }
    }

    /**
     * @return the reason of a take that failed in a running process: its FAILED manifest's, else
     *         the failure mark's; null for a take whose process died with it
     */
    private static String failedReason(Take base, Path mark) {
        if (base.state() == TakeState.FAILED) {
            return base.reason() != null ? base.reason() : "failed";
        }
        if (!Files.exists(mark)) {
            return null;
        }
        try {
            String text = Files.readString(mark, java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!text.isEmpty()) {
                return text;
            }
        } catch (IOException e) {
            // unreadable mark: the take failed all the same
        }
        return "storage failed while recording (the disk was full or could not be written); the manifest could not "
                + "be written then";
    }

    private Optional<Take> readQuietly(String takeId) {
        try {
            return manifests.read(takeId);
        } catch (StorageException e) {
            return Optional.empty(); // damaged manifest: rebuilt from the chunk headers, the old one replaced
        }
    }

    /** Seals the chunks not yet in the manifest, in index order, and returns the RECOVERED take. */
    private Take seal(Take base, List<Found> chunks, Instant endedAt) throws IOException {
        List<ChunkRef> refs = new ArrayList<>(base.chunks());
        Map<Integer, ChunkRef> byIndex = new HashMap<>();
        refs.forEach(r -> byIndex.put(r.index(), r));
        long next = refs.stream().mapToLong(ChunkRef::frames).sum();
        int bytesPerFrame = base.format().bytesPerFrame();
        for (Found c : chunks) {
            long frames = c.header().frames();
            if (frames == 0 || byIndex.containsKey(c.header().index())) {
                continue; // empty, or sealed before the process died (its object and manifest entry exist)
            }
            String sha;
            try (FileChannel ch = FileChannel.open(c.file(), StandardOpenOption.READ)) {
                ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, StagingChunk.HEADER_BYTES, frames * bytesPerFrame);
                sha = objects.put(data);
            }
            ChunkRef ref = new ChunkRef(refs.size(), sha, next, frames, frames * bytesPerFrame, Instant.now());
            refs.add(ref);
            byIndex.put(c.header().index(), ref);
            next += frames;
        }
        return new Take(base.id(), base.deviceId(), base.description(), base.backend(), base.format(),
                TakeState.RECOVERED, base.startedAt(), base.endedAt() != null ? base.endedAt() : endedAt, next, refs, REASON);
    }

    private static Take withReason(Take t, String reason) {
        return new Take(t.id(), t.deviceId(), t.description(), t.backend(), t.format(), t.state(), t.startedAt(),
                t.endedAt(), t.frames(), t.chunks(), reason, t.statistics());
    }

    /**
     * A manifest for a take whose manifest was lost: what the id, the chunk log and the chunk
     * headers tell. A log that cannot be read is added to {@code damaged}.
     */
    private static Take placeholder(String takeId, AudioFormat format, Path dir, List<Path> damaged) {
        Instant start = TakeIds.startOf(takeId).orElseGet(() -> modified(dir));
        Path log = dir.resolve(ChunkLog.FILE_NAME);
        List<ChunkRef> logged = List.of();
        try {
            logged = ChunkLog.read(log);
        } catch (IOException e) {
            damaged.add(log);
        }
        long frames = logged.stream().mapToLong(ChunkRef::frames).sum();
        return new Take(takeId, "unknown", "unknown", "unknown", format, TakeState.RECORDING, start, null, frames,
                logged, null);
    }

    private static Instant lastModified(Path dir, List<Found> chunks) {
        return chunks.stream().map(c -> modified(c.file())).max(Comparator.naturalOrder()).orElseGet(() -> modified(dir));
    }

    private static Instant modified(Path p) {
        try {
            FileTime t = Files.getLastModifiedTime(p);
            return t.toInstant();
        } catch (IOException e) {
            return Instant.now();
        }
    }

    private List<Path> moveAside(String takeId, List<Path> files) throws IOException {
        List<Path> moved = new ArrayList<>();
        if (files.isEmpty()) {
            return moved;
        }
        Path target = DurableFiles.createDirectories(damagedRoot.resolve(TakeIds.isValid(takeId) ? takeId : "other"));
        for (Path f : files) {
            Path dest = target.resolve(f.getFileName());
            for (int n = 1; Files.exists(dest); n++) {
                dest = target.resolve(f.getFileName() + "." + n);
            }
            Files.move(f, dest, StandardCopyOption.ATOMIC_MOVE);
            moved.add(dest);
        }
        DurableFiles.syncDirectory(target);
        return moved;
    }

    private static void deleteAll(List<Found> chunks) throws IOException {
        for (Found c : chunks) {
            Files.deleteIfExists(c.file());
        }
    }

    private void removeDir(Path dir) throws IOException {
        Files.deleteIfExists(dir);
        DurableFiles.syncDirectory(stagingRoot);
    }
}
