package io.capstan.storage.internal;

import io.capstan.api.ChunkRef;
import io.capstan.api.ProgressListener;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.VerifyReport;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/** Re-hashes the stored chunks of takes and reports those that are missing or do not match. */
final class Verifier {

    /** What a {@link VerifyReport.Problem} says for a chunk whose object does not exist. */
    static final String MISSING = "missing";
    /** How a {@link VerifyReport.Problem} begins for a chunk whose object cannot be read. */
    static final String UNREADABLE = "unreadable";

    private final ObjectStore objects;

    Verifier(ObjectStore objects) {
        this.objects = objects;
    }

    /**
     * @param progress told bytes hashed and bytes listed in all the takes' chunks; returning false cancels
     * @throws StorageException when cancelled
     */
    VerifyReport verify(List<Take> takes, ProgressListener progress) throws StorageException {
        long total = takes.stream().flatMap(t -> t.chunks().stream()).mapToLong(ChunkRef::bytes).sum();
        long[] done = {0};
        int chunks = 0;
        List<VerifyReport.Problem> problems = new ArrayList<>();
        for (Take take : takes) {
            for (ChunkRef c : take.chunks()) {
                chunks++;
                long before = done[0];
                boolean[] cancelled = {false};
                String actual;
                try {
                    actual = objects.read(c.sha256(), block -> {
                        done[0] += block.remaining();
                        cancelled[0] = !progress.worked(done[0], total);
                        return !cancelled[0];
                    });
                } catch (NoSuchFileException e) {
                    actual = MISSING;
                } catch (IOException e) {
                    // an unreadable object (EIO, no permission) is one bad chunk: the others are still checked
                    actual = UNREADABLE + " (" + FileChunkStore.describe(e) + ")";
                }
                if (cancelled[0]) {
                    throw new StorageException("verify was cancelled after " + chunks + " chunks");
                }
                done[0] = before + c.bytes(); // a missing or short object still counts as checked
                if (!c.sha256().equals(actual)) {
                    problems.add(new VerifyReport.Problem(take.id(), c.index(), c.sha256(), actual));
                }
            }
        }
        return new VerifyReport(takes.size(), chunks, problems);
    }
}
