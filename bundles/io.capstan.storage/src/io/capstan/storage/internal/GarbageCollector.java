package io.capstan.storage.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.capstan.api.ChunkRef;
import io.capstan.api.GarbageReport;
import io.capstan.api.ProgressListener;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;

/**
 * Mark and sweep over the object store: every object that no manifest, no chunk log of a
 * recording take and no chunk log left in staging refers to is deleted, unless it was stored
 * since the collection began (its take may not have logged it yet) or is younger than the grace
 * period (another process on the same store may be about to log it). Deletions are single
 * unlinks, so a crash leaves a store whose references all resolve. One collection at a time.
 */
final class GarbageCollector {

    private final ObjectStore objects;
    private final ManifestStore manifests;
    private final Path staging;

    GarbageCollector(ObjectStore objects, ManifestStore manifests, Path staging) {
        this.objects = objects;
        this.manifests = manifests;
        this.staging = staging;
    }

    GarbageReport collect(long graceSeconds, ProgressListener progress) throws StorageException {
        long notAfter = System.currentTimeMillis() - Math.max(0, graceSeconds) * 1000;
        Set<String> storedMeanwhile;
        try {
            storedMeanwhile = objects.beginCollection();
        } catch (IllegalStateException e) {
            throw new StorageException("a garbage collection of this store is running already; wait for it");
        }
        try {
            List<String> all = objects.list();
            Set<String> live = referenced();
            long referenced = 0;
            long deleted = 0;
            long freed = 0;
            long kept = 0;
            long done = 0;
            for (String sha : all) {
                if (live.contains(sha)) {
                    referenced++;
                } else {
                    long bytes = objects.deleteUnreferenced(sha, notAfter);
                    if (bytes >= 0) {
                        deleted++;
                        freed += bytes;
                    } else {
                        kept++;
                    }
                }
                if (!progress.worked(++done, all.size())) {
                    break;
                }
            }
            int temporaries = objects.removeTemporariesBetweenSeals();
            return new GarbageReport(all.size(), referenced, deleted, freed, kept, temporaries);
        } catch (IOException e) {
            throw new StorageException("garbage collection of " + staging.getParent() + " stopped: "
                    + FileChunkStore.describe(e) + ". What it deleted was referenced by nothing; the store is whole. "
                    + FileChunkStore.advice(e), e);
        } finally {
            objects.endCollection();
        }
    }

    /** Every object a manifest or a chunk log refers to. */
    private Set<String> referenced() throws StorageException, IOException {
        Set<String> live = new HashSet<>();
        for (Take t : manifests.list()) {
            add(live, t.chunks());
            if (t.state() == TakeState.RECORDING) {
                // it may have finished between reading its manifest and its chunk log (which
                // finishing deletes): read it again, now with every chunk in the manifest
                manifests.read(t.id()).ifPresent(again -> add(live, again.chunks()));
            }
        }
        if (Files.isDirectory(staging)) {
            // staging recovery has not finished yet (a full or read-only disk): its chunks count
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(staging)) {
                for (Path d : dirs) {
                    Path log = d.resolve(ChunkLog.FILE_NAME);
                    if (Files.isRegularFile(log)) {
                        add(live, ChunkLog.read(log));
                    }
                }
            }
        }
        return live;
    }

    private static void add(Set<String> live, List<ChunkRef> refs) {
        for (ChunkRef r : refs) {
            live.add(r.sha256());
        }
    }
}
