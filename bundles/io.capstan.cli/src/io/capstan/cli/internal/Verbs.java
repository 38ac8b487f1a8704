package io.capstan.cli.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.cli.Cli;
import io.capstan.cli.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The verbs that send one request and print its result. Each: {@code -h/--help}, {@code --json}
 * (the protocol's result as one line of JSON), the exit status of {@link Root}.
 */
final class Verbs {

    private Verbs() {
    }

    /** {@code --json}. */
    static final class Output {
        @Option(names = "--json", description = "Print the result as one line of JSON (as docs/PROTOCOL.md gives it).")
        boolean json;
    }

    /** A verb: its context, {@code --help}, {@code --json}. */
    abstract static class Verb implements Callable<Integer> {
        final Context ctx;

        @Mixin
        Output output;

        @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        Verb(Context ctx) {
            this.ctx = ctx;
        }

        /** Prints {@code result} as JSON, or as {@code human} says. */
        void print(JsonNode result, Runnable human) {
            if (output.json) {
                ctx.out.println(result.toString());
            } else {
                human.run();
            }
        }

        /** Sends one request and prints its result; the exit status. */
        int simple(ObjectNode request, java.util.function.Consumer<JsonNode> human) throws Exit, IOException {
            try (Transport t = ctx.open()) {
                JsonNode result = Context.result(t, request);
                print(result, () -> human.accept(result));
                return Cli.OK;
            }
        }
    }

    /**
     * Checks a file the user asked for before any work: not a directory, in a directory that
     * exists and can be written.
     *
     * @return the absolute path (the daemon's working directory is not the user's)
     */
    static Path checkOut(Path file) throws Exit {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new Exit(Cli.USAGE, "--out " + file + " is a directory; give a file name, e.g. " + abs.resolve("take.wav"));
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new Exit(Cli.FAILED, "cannot write " + abs + ": directory " + dir + " does not exist; create it "
                    + "(mkdir -p " + dir + ") or choose another --out");
        }
        if (!Files.isWritable(dir)) {
            throw new Exit(Cli.FAILED, "cannot write " + abs + ": directory " + dir + " is not writable by you; "
                    + "choose another --out");
        }
        return abs;
    }

    @Command(name = "devices", description = "List capture devices: id, channels [positions], rate, backend, description.")
    static final class Devices extends Verb {
        Devices(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            return simple(Context.request("devices"), devices -> {
                Render.devices(ctx.out, devices);
                if (devices.isEmpty()) {
                    ctx.err.println("no capture devices found; capstan status shows the backends and their problems");
                }
            });
        }
    }

    @Command(name = "await", description = "Wait until a device exists and print it (exit 1 when it does not appear in time).")
    static final class Await extends Verb {
        @Parameters(paramLabel = "DEVICE", description = "Device id, 'default', or the start of its description.")
        String device;

        @Option(names = "--seconds", paramLabel = "N", defaultValue = "10", description = "How long to wait (default: ${DEFAULT-VALUE}).")
        double seconds;

        Await(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            if (!(seconds >= 0 && seconds <= 3600)) {
                throw new Exit(Cli.USAGE, "--seconds must be 0 to 3600, was " + seconds);
            }
            ObjectNode r = Context.request("await");
            r.put("device", device);
            r.put("seconds", seconds);
            return simple(r, d -> ctx.out.println(Render.device(d, 1)));
        }
    }

    @Command(name = "stop-take", description = "Stop a recording take; it is sealed and kept (what 'record' without --seconds waits for).")
    static final class StopTake extends Verb {
        @Parameters(paramLabel = "TAKE", description = "The take's id (capstan status lists the recording ones).")
        String take;

        StopTake(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            ObjectNode r = Context.request("stop-take");
            r.put("take", take);
            try (Transport t = ctx.openRunning()) {
                JsonNode result = Context.result(t, r);
                print(result, () -> ctx.out.println(Render.ended(result)));
                return Cli.OK;
            }
        }
    }

    @Command(name = "takes", description = "List takes, oldest first: id, state, seconds, chunks, format, device.")
    static final class Takes extends Verb {
        @Option(names = "--device", paramLabel = "ID", description = "Only takes of this device.")
        String device;

        @Option(names = "--state", paramLabel = "STATE", description = "Only takes in this state: RECORDING, COMPLETE, FAILED, RECOVERED.")
        String state;

        @Option(names = "--since", paramLabel = "DATE", description = "Only takes started at or after DATE: 2026-12-03, 2026-12-03T14:00 (local time) or 2026-12-03T13:00:00Z.")
        String since;

        Takes(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            ObjectNode r = Context.request("takes");
            if (device != null) {
                r.put("device", device);
            }
            if (state != null) {
                r.put("state", state);
            }
            if (since != null) {
                r.put("since", since);
            }
            return simple(r, takes -> Render.takes(ctx.out, takes));
        }
    }

    @Command(name = "take", description = "Show one take: state, device, audio, times, capture statistics.")
    static final class TakeInfo extends Verb {
        @Parameters(paramLabel = "TAKE", description = "The take's id (capstan takes lists them).")
        String take;

        TakeInfo(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            ObjectNode r = Context.request("take");
            r.put("take", take);
            return simple(r, t -> Render.takeDetail(ctx.out, t));
        }
    }

    @Command(name = "rm", description = "Remove takes from the store (not one that is recording). Their chunks are freed by 'capstan gc'.")
    static final class Remove extends Verb {
        @Parameters(paramLabel = "TAKE", arity = "1..*", description = "The takes' ids.")
        List<String> takes;

        Remove(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            int status = Cli.OK;
            ArrayNode removed = Context.JSON.createArrayNode();
            try (Transport t = ctx.open()) {
                for (String id : takes) {
                    ObjectNode r = Context.request("rm");
                    r.put("take", id);
                    JsonNode reply = t.call(r, line -> { });
                    if (reply.path("ok").asBoolean()) {
                        removed.add(reply.path("result"));
                        if (!output.json) {
                            ctx.out.println("removed " + Render.take(reply.path("result")));
                        }
                    } else {
                        ctx.err.println("capstan: " + reply.path("error").path("message").asText());
                        status = Math.max(status, Exit.of(reply.path("error")).status());
                    }
                }
            }
            if (output.json) {
                ctx.out.println(removed.toString());
            } else if (!removed.isEmpty()) {
                ctx.err.println("their chunks stay in the store until: capstan gc");
            }
            return status;
        }
    }

    @Command(name = "note", description = "Give a finished take a note (free text, kept in its manifest, shown by 'capstan take'); an empty one removes it.")
    static final class Note extends Verb {
        @Parameters(index = "0", paramLabel = "TAKE", description = "The take's id.")
        String take;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The note: the words that follow, joined by spaces ('' removes the note).")
        List<String> words;

        Note(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            ObjectNode r = Context.request("note");
            r.put("take", take);
            r.put("text", String.join(" ", words));
            return simple(r, t -> ctx.out.println(t.hasNonNull("note") ? "take " + take + ": " + t.path("note").asText()
                    : "take " + take + ": no note"));
        }
    }

    @Command(name = "status", description = "Capstan here: daemon or not, the store and its free space, dropins, settings, backends, recording takes.")
    static final class Status extends Verb {
        Status(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            return simple(Context.request("status"), s -> Render.status(ctx.out, s));
        }
    }

    @Command(name = "stop", description = "Stop the running daemon (its recording takes are stopped and sealed).")
    static final class Stop extends Verb {
        Stop(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws Exception {
            try (Transport t = ctx.openRunning()) {
                JsonNode result = Context.result(t, Context.request("stop"));
                int recording = result.path("recording").asInt();
                ctx.err.println("capstan: daemon stopping" + (recording > 0 ? " (sealing " + recording + " take(s))" : ""));
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() - deadline < 0 && t.next() != null) {
                    // the daemon closes the connection once its socket is down
                }
                print(result, () -> ctx.out.println("daemon stopped"));
                return Cli.OK;
            }
        }
    }

    /** Verbs the capstan script runs itself; here for their help. */
    abstract static class ScriptVerb implements Callable<Integer> {
        @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Override
        public Integer call() throws Exit {
            throw new Exit(Cli.USAGE, "this command is run by the capstan script, not by the client; "
                    + "run it as: capstan " + getClass().getAnnotation(Command.class).name());
        }
    }

    @Command(name = "daemon", description = "Run headless until 'capstan stop' (or TERM), serving the control socket "
            + "$XDG_RUNTIME_DIR/capstan/control.sock, the event stream and the automation inputs.")
    static final class Daemon extends ScriptVerb {
        @Option(names = "--http", paramLabel = "PORT", description = "Also serve HTTP on 127.0.0.1:PORT.")
        int port;
    }

    @Command(name = "console", description = "The OSGi console (Gogo) of a Capstan of its own: capstan:* commands, scr:list, lb.")
    static final class Console extends ScriptVerb {
    }

    @Command(name = "workstation", description = "The workstation window (Eclipse 4); the default when there is a display.")
    static final class Workstation extends ScriptVerb {
    }
}
