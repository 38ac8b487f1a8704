package io.capstan.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.cli.Cli;
import io.capstan.cli.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The verbs whose request is long work (export, verify, gc): a progress bar, and Ctrl-C cancels. */
final class LongVerbs {

    private LongVerbs() {
    }

    /**
     * Sends a long request with {@code "progress":true}, feeds its progress lines to {@code bar},
     * and lets Ctrl-C or TERM cancel it: the connection is closed, Capstan stops the work at its
     * next progress line (an export removes {@code part}, waited for so that nothing is left).
     *
     * @param part a file the cancelled work removes, or null
     * @return the result
     * @throws Exit {@link Cli#INTERRUPTED} when cancelled; the request's own error otherwise
     */
    static JsonNode cancellable(Context ctx, Transport t, ObjectNode request, ProgressBar bar, String what, Path part)
            throws Exit, IOException {
        request.put("progress", true);
        AtomicBoolean cancelled = new AtomicBoolean();
        try (Interrupts i = Interrupts.install(ctx, () -> {
            cancelled.set(true);
            try {
                t.close();
            } catch (IOException e) {
                // closing is all that is asked
            }
        }, what + " abandoned; Capstan cancels it")) {
            return Context.result(t, request, bar::line);
        } catch (IOException e) {
            if (!cancelled.get()) {
                throw e;
            }
            bar.finish();
            awaitGone(part);
            throw new Exit(Cli.INTERRUPTED, what + " cancelled" + (part == null ? "" : "; no file was written"));
        } finally {
            bar.finish();
        }
    }

    /** Waits (at most 5 s) until cancelled work has removed its file, so that nothing is left behind. */
    private static void awaitGone(Path part) {
        if (part == null) {
            return;
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Files.exists(part) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20); // Capstan deletes it once it sees the cancel
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Command(name = "export", description = "Write a take as a WAV file (RF64 above 4 GiB), checking every chunk's hash.")
    static final class Export extends Verbs.Verb {
        @Parameters(paramLabel = "TAKE", description = "The take's id (capstan takes lists them).")
        String take;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "The WAV file to write (written as FILE.part, renamed when complete).")
        Path file;

        Export(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            Path abs = Verbs.checkOut(file);
            ObjectNode r = Context.request("export");
            r.put("take", take);
            r.put("out", abs.toString());
            try (Transport t = ctx.open()) {
                JsonNode result = cancellable(ctx, t, r, new ProgressBar(ctx, "exporting", true), "export",
                        abs.resolveSibling(abs.getFileName() + ".part"));
                print(result, () -> ctx.out.println(Render.exported(result)));
                return Cli.OK;
            }
        }
    }

    @Command(name = "verify", description = "Re-hash stored chunks (of one take, or all) and report mismatches (exit 1 when any).")
    static final class Verify extends Verbs.Verb {
        @Parameters(paramLabel = "TAKE", arity = "0..1", description = "The take to check; all takes when left out.")
        String take;

        Verify(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            ObjectNode r = Context.request("verify");
            if (take != null) {
                r.put("take", take);
            }
            try (Transport t = ctx.open()) {
                JsonNode result = cancellable(ctx, t, r, new ProgressBar(ctx, "verifying", true), "verify", null);
                print(result, () -> Render.verified(ctx.out, result));
                return result.path("ok").asBoolean() ? Cli.OK : Cli.FAILED;
            }
        }
    }

    @Command(name = "gc", description = "Delete stored chunks that no take refers to (safe while takes record, and if interrupted).")
    static final class CollectGarbage extends Verbs.Verb {
        @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "60", description = "Keep unreferenced chunks stored within the last SECONDS (another Capstan sharing the store may be about to refer to them; default: ${DEFAULT-VALUE}).")
        long grace;

        CollectGarbage(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            if (grace < 0) {
                throw new Exit(Cli.USAGE, "--grace must be 0 or more seconds, was " + grace);
            }
            ObjectNode r = Context.request("gc");
            r.put("graceSeconds", grace);
            try (Transport t = ctx.open()) {
                JsonNode result = cancellable(ctx, t, r, new ProgressBar(ctx, "collecting", false), "gc", null);
                print(result, () -> ctx.out.println(Render.collected(result, grace)));
                return Cli.OK;
            }
        }
    }
}
