package io.capstan.ui.internal;

import java.nio.file.Path;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;

import io.capstan.api.ChunkStore;
import io.capstan.api.ExportResult;
import io.capstan.api.ProgressListener;
import io.capstan.api.VerifyReport;

/** Export and verify as Eclipse {@link Job}s: progress reported, cancel honoured. */
final class TakeJobs {

    /** Job family of export jobs. */
    static final Object EXPORT = "io.capstan.ui.export";
    /** Job family of verify jobs. */
    static final Object VERIFY = "io.capstan.ui.verify";

    /** Progress of a job in percent (-1 when unknown) and a final message. */
    interface Progress {
        void percent(int value);

        void done(String message, boolean ok);
    }

    private TakeJobs() {
    }

    static Job export(ChunkStore store, String takeId, Path file, Progress progress) {
        return job("Export " + takeId + " to " + file, EXPORT, monitor -> {
            ExportResult r = store.export(takeId, file, listener(monitor, progress));
            return r.frames() + " frames written to " + r.file() + (r.rf64() ? " (RF64)" : "");
        }, progress);
    }

    static Job verify(ChunkStore store, String takeId, Progress progress) {
        return job("Verify " + (takeId == null ? "all takes" : takeId), VERIFY, monitor -> {
            VerifyReport r = store.verify(takeId, listener(monitor, progress));
            return r.ok() ? "verified: " + r.chunks() + " chunks of " + r.takes() + " takes match their hashes"
                    : "verify FAILED: " + r.problems();
        }, progress);
    }

    private static ProgressListener listener(IProgressMonitor monitor, Progress progress) {
        monitor.beginTask("working", 1000);
        int[] last = {-1};
        return (done, total) -> {
            int pct = total <= 0 ? 100 : (int) (done * 100 / total);
            if (pct != last[0]) {
                last[0] = pct;
                progress.percent(pct);
                monitor.worked(1);
            }
            return !monitor.isCanceled();
        };
    }

    private interface Work {
        String run(IProgressMonitor monitor) throws Exception;
    }

    private static Job job(String name, Object family, Work work, Progress progress) {
        Job job = new Job(name) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    String message = work.run(monitor);
                    if (monitor.isCanceled()) {
                        progress.done("cancelled", false);
                        return Status.CANCEL_STATUS;
                    }
                    progress.done(message, !message.startsWith("verify FAILED"));
                    return Status.OK_STATUS;
                } catch (Exception e) {
                    if (monitor.isCanceled()) {
                        progress.done("cancelled", false);
                        return Status.CANCEL_STATUS;
                    }
                    progress.done(name + " failed: " + e.getMessage(), false);
                    return Status.error(e.getMessage() == null ? e.toString() : e.getMessage(), e);
                } finally {
                    monitor.done();
                }
            }

            @Override
            public boolean belongsTo(Object f) {
                return f == family;
            }
        };
        job.setUser(true);
        return job;
    }
}
