package io.capstan.daemon.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.api.ActiveTake;
import io.capstan.api.AudioFormat;
import io.capstan.api.CapstanException;
import io.capstan.api.CaptureBackend;
import io.capstan.api.CaptureRequest;
import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.Device;
import io.capstan.api.DeviceNotFoundException;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.ExportResult;
import io.capstan.api.GarbageReport;
import io.capstan.api.ProgressListener;
import io.capstan.api.SampleFormat;
import io.capstan.api.StoreHealth;
import io.capstan.api.Take;
import io.capstan.api.TakeState;
import io.capstan.api.UnknownTakeException;
import io.capstan.api.VerifyReport;
import io.capstan.daemon.CommandGateway;

/**
 * The daemon's commands (docs/PROTOCOL.md), the same for every input. Each parses its
 * arguments, calls the API and builds a result; failures become error replies with a stable
 * code. Threading: thread-safe (the services are).
 */
@Component(service = { Dispatcher.class, CommandGateway.class }, configurationPid = DaemonConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class CommandHandler implements Dispatcher, CommandGateway {

    /** How long {@code stop-take} waits for the take to be sealed. */
    static final Duration STOP_TAKE_WAIT = Duration.ofSeconds(30);
    /** Unreferenced objects younger than this are kept by {@code gc} unless the request says otherwise. */
    static final long DEFAULT_GRACE_SECONDS = 60;

    private static final System.Logger LOG = System.getLogger(CommandHandler.class.getName());

    private final DeviceRegistry registry;
    private final CaptureService capture;
    private final ChunkStore store;
    private final EventJournal journal;
    private final DaemonState state;
    private final Path runtimeDirectory;
    /** daemon, workstation or command ({@link DaemonConfig#mode()}). */
    private final String mode;
    /** The daemon's settings in force, for {@code status}. */
    private final ObjectNode settings;

    @Activate
    public CommandHandler(DaemonConfig config, @Reference DeviceRegistry registry, @Reference CaptureService capture,
            @Reference ChunkStore store, @Reference EventJournal journal, @Reference DaemonState state)
            throws java.io.IOException {
        this.runtimeDirectory = RuntimeFiles.directory(config);
        this.mode = config.mode();
        this.settings = Json.object();
        settings.put("maxLineBytes", config.maxLineBytes());
        settings.put("replayEvents", config.replayEvents());
        settings.put("inboxPollMillis", config.inboxPollMillis());
        this.registry = registry;
        this.capture = capture;
        this.store = store;
        this.journal = journal;
        this.state = state;
    }

    @Override
    public String handle(String request, String source) {
        return Json.line(handleText(request, source));
    }

    @Override
    public Path runtimeDirectory() {
        return runtimeDirectory;
    }

    @Override
    public void httpUrl(String url) {
        state.httpUrl(url);
    }

    @Override
    public ObjectNode handle(JsonNode request, String source) {
        return handle(request, source, Progress.NONE);
    }

    @Override
    public ObjectNode handle(JsonNode request, String source, Progress progress) {
        JsonNode id = request.isObject() ? request.get("id") : null;
        try {
            if (!request.isObject()) {
                throw new RequestException(RequestException.BAD_REQUEST, "a request is a JSON object, not "
                        + request.getNodeType().name().toLowerCase() + "; e.g. {\"id\":1,\"cmd\":\"status\"}");
            }
            if (id != null && !(id.isNumber() || id.isTextual() || id.isNull())) {
                id = null;
                throw new RequestException(RequestException.BAD_REQUEST, "\"id\" must be a number or a string");
            }
            JsonNode cmd = request.get("cmd");
            if (cmd == null || !cmd.isTextual()) {
                throw new RequestException(RequestException.BAD_REQUEST,
                        "a request needs \"cmd\" (a string): " + COMMANDS);
            }
            Args args = new Args(request, cmd.asText());
            JsonNode requestId = id;
            ProgressListener listener = args.flag("progress", false)
                    ? (done, total) -> progress.report(requestId, done, total)
                    : ProgressListener.NONE;
            return Json.ok(id, run(cmd.asText(), args, listener));
        } catch (RequestException e) {
            return Json.error(id, e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request from " + source + " failed", e);
            return Json.error(id, RequestException.INTERNAL, "the daemon failed on this request: " + e
                    + "; see the daemon's log");
        }
    }

    /** The commands, for error messages. */
    static final String COMMANDS = "status, stop, devices, await, start, stop-take, takes, take, export, verify, "
            + "rm, note, gc, subscribe";

    private JsonNode run(String cmd, Args args, ProgressListener progress) throws RequestException {
        return switch (cmd) {
            case "status" -> status();
            case "stop" -> {
                state.requestStop();
                ObjectNode r = Json.object();
                r.put("stopping", true);
                r.put("recording", capture.active().size());
                yield r;
            }
            case "devices" -> devices();
            case "start" -> start(args);
            case "stop-take" -> stopTake(args);
            case "await" -> await(args);
            case "takes" -> takes(args);
            case "take" -> Replies.take(findTake(args.text("take")));
            case "export" -> export(args, progress);
            case "verify" -> verify(args, progress);
            case "rm" -> remove(args);
            case "note" -> note(args);
            case "gc" -> collectGarbage(args, progress);
            case "subscribe" -> throw new RequestException(RequestException.NOT_HERE,
                    "subscribe works on the control socket only, where events can follow the reply");
            default -> throw new RequestException(RequestException.UNKNOWN_COMMAND, "unknown command '" + cmd
                    + "'; commands: " + COMMANDS);
        };
    }

    private ObjectNode status() {
        ObjectNode r = Json.object();
        r.put("mode", mode);
        r.put("state", state.stopRequested() ? "stopping" : "running");
        r.put("pid", ProcessHandle.current().pid());
        r.put("startedAt", state.startedAt().toString());
        r.put("uptimeSeconds", state.uptime().toMillis() / 1000.0);
        r.put("store", store.home().toString());
        StoreHealth health = store.health();
        ObjectNode space = r.putObject("storeSpace");
        space.put("usableBytes", health.usableBytes());
        space.put("totalBytes", health.totalBytes());
        space.put("reserveBytes", health.reserveBytes());
        space.put("summary", health.describeSpace());
        space.put("canRecord", health.canRecord());
        space.put("problem", health.recordingProblem());
        health.warnings().forEach(space.putArray("warnings")::add);
        r.put("socket", state.socket());
        String dropins = System.getProperty("felix.fileinstall.dir");
        r.put("dropins", dropins == null ? null : Path.of(dropins).toAbsolutePath().normalize().toString());
        r.set("settings", settings.deepCopy());
        if (state.httpUrl() != null) {
            r.put("http", state.httpUrl());
        } else {
            r.putNull("http");
        }
        r.put("devices", registry.devices().size());
        ArrayNode backends = r.putArray("backends");
        for (CaptureBackend b : registry.backends()) {
            ObjectNode o = backends.addObject();
            o.put("id", b.id());
            o.put("devices", b.devices().size());
            o.put("problem", b.problem());
        }
        ArrayNode recording = r.putArray("recording");
        for (ActiveTake t : capture.active()) {
            recording.add(Replies.active(t));
        }
        ObjectNode events = r.putObject("events");
        events.put("epoch", journal.epoch());
        events.put("last", journal.last());
        events.put("oldest", journal.oldest());
        return r;
    }

    private ArrayNode devices() {
        ArrayNode list = Json.NODES.arrayNode();
        for (Device d : registry.devices()) {
            list.add(Replies.device(d));
        }
        return list;
    }

    private ObjectNode start(Args args) throws RequestException {
        String deviceId = args.text("device");
        Double seconds = args.optionalNumber("seconds");
        Integer rate = args.optionalInt("rate");
        Integer channels = args.optionalInt("channels");
        String formatName = args.optionalText("format");
        String backend = args.optionalText("backend");
        boolean convert = args.flag("convert", false);
        if (seconds != null && !(seconds > 0)) {
            throw new RequestException(RequestException.BAD_ARGUMENT,
                    "\"seconds\" must be positive, or left out to record until stop-take");
        }
        try {
            Device device = registry.await(deviceId, Duration.ofSeconds(2));
            if (backend != null && !backend.equals(device.backend())) {
                Device listed = device;
                device = registry.find(device.id(), backend).orElseThrow(() -> new DeviceNotFoundException(
                        listed.id(), registry.devices().stream().map(Device::id).toList(),
                        "through backend '" + backend + "'"));
            }
            AudioFormat n = device.nativeFormat();
            AudioFormat f = new AudioFormat(rate != null ? rate : n.sampleRate(),
                    channels != null ? channels : n.channels(),
                    formatName != null ? SampleFormat.parse(formatName) : n.sampleFormat());
            long frames = seconds == null ? 0 : Math.round(seconds * f.sampleRate());
            ActiveTake take = capture.start(new CaptureRequest(device.id(), f, frames, device.backend(), convert));
            ObjectNode r = Replies.active(take);
            r.put("frameLimit", frames);
            r.put("description", device.description());
            r.put("backend", device.backend());
            return r;
        } catch (DeviceNotFoundException e) {
            throw new RequestException(RequestException.UNKNOWN_DEVICE, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new RequestException(RequestException.BAD_ARGUMENT, "cannot record in that format: " + e.getMessage());
        } catch (CapstanException e) {
            throw new RequestException(RequestException.CAPTURE_FAILED, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestException(RequestException.INTERNAL, "interrupted while waiting for the device");
        }
    }

    private ObjectNode stopTake(Args args) throws RequestException {
        String id = args.text("take");
        boolean wait = args.flag("wait", true);
        Optional<ActiveTake> running = capture.active().stream().filter(t -> t.id().equals(id)).findFirst();
        if (running.isEmpty()) {
            Take t = findTake(id);
            throw new RequestException(RequestException.BAD_ARGUMENT, "take " + id + " is not recording (it is "
                    + t.state() + ")");
        }
        running.get().stop();
        if (!wait) {
            return Replies.active(running.get());
        }
        try {
            return Replies.take(running.get().awaitEnd(STOP_TAKE_WAIT));
        } catch (CapstanException e) {
            throw new RequestException(RequestException.CAPTURE_FAILED, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestException(RequestException.INTERNAL, "interrupted while waiting for take " + id);
        }
    }

    private ArrayNode takes(Args args) throws RequestException {
        String device = args.optionalText("device");
        String stateName = args.optionalText("state");
        String since = args.optionalText("since");
        TakeState wanted = null;
        if (stateName != null) {
            try {
                wanted = TakeState.valueOf(stateName.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new RequestException(RequestException.BAD_ARGUMENT, "\"state\" must be one of "
                        + java.util.Arrays.toString(TakeState.values()) + ", was '" + stateName + "'");
            }
        }
        Instant from = since == null ? null : Replies.instant(since);
        ArrayNode list = Json.NODES.arrayNode();
        try {
            for (Take t : store.takes()) {
                if ((device == null || device.equals(t.deviceId())) && (wanted == null || wanted == t.state())
                        && (from == null || !t.startedAt().isBefore(from))) {
                    list.add(Replies.summary(t));
                }
            }
        } catch (CapstanException e) {
            throw new RequestException(RequestException.STORAGE_FAILED, e.getMessage());
        }
        return list;
    }

    private ObjectNode await(Args args) throws RequestException {
        String selector = args.text("device");
        Double seconds = args.optionalNumber("seconds");
        if (seconds != null && !(seconds >= 0 && seconds <= 3600)) {
            throw new RequestException(RequestException.BAD_ARGUMENT, "\"seconds\" must be 0 to 3600, was " + seconds);
        }
        try {
            Device d = registry.await(selector, Duration.ofMillis((long) ((seconds == null ? 10 : seconds) * 1000)));
            return Replies.device(d);
        } catch (DeviceNotFoundException e) {
            throw new RequestException(RequestException.UNKNOWN_DEVICE, e.getMessage());
        } catch (CapstanException e) {
            throw new RequestException(RequestException.UNKNOWN_DEVICE, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RequestException(RequestException.INTERNAL, "interrupted while waiting for the device");
        }
    }

    private ObjectNode remove(Args args) throws RequestException {
        try {
            Take t = store.delete(args.text("take"));
            ObjectNode r = Replies.summary(t);
            r.put("removed", true);
            return r;
        } catch (CapstanException e) {
            throw Replies.storageFailure(e);
        }
    }

    private ObjectNode note(Args args) throws RequestException {
        String id = args.text("take");
        JsonNode text = args.raw("text");
        if (text != null && !text.isNull() && !text.isTextual()) {
            throw new RequestException(RequestException.BAD_ARGUMENT, "\"text\" must be a string (empty or null: no note)");
        }
        try {
            return Replies.take(store.note(id, text == null || text.isNull() ? null : text.asText()));
        } catch (IllegalArgumentException e) {
            throw new RequestException(RequestException.BAD_ARGUMENT, e.getMessage());
        } catch (CapstanException e) {
            throw Replies.storageFailure(e);
        }
    }

    private ObjectNode collectGarbage(Args args, ProgressListener progress) throws RequestException {
        Long grace = args.optionalLong("graceSeconds");
        if (grace != null && grace < 0) {
            throw new RequestException(RequestException.BAD_ARGUMENT, "\"graceSeconds\" must be 0 or more");
        }
        try {
            GarbageReport g = store.collectGarbage(grace == null ? DEFAULT_GRACE_SECONDS : grace, progress);
            ObjectNode r = Json.object();
            r.put("objects", g.objects());
            r.put("referenced", g.referenced());
            r.put("deleted", g.deleted());
            r.put("bytesFreed", g.bytesFreed());
            r.put("keptYoung", g.keptYoung());
            r.put("temporaries", g.temporaries());
            return r;
        } catch (CapstanException e) {
            throw new RequestException(RequestException.STORAGE_FAILED, e.getMessage());
        }
    }

    private Take findTake(String id) throws RequestException {
        try {
            return store.take(id).orElseThrow(() -> new RequestException(RequestException.UNKNOWN_TAKE,
                    new io.capstan.api.UnknownTakeException(id).getMessage()));
        } catch (CapstanException e) {
            throw new RequestException(RequestException.STORAGE_FAILED, e.getMessage());
        }
    }

    private ObjectNode export(Args args, ProgressListener progress) throws RequestException {
        String id = args.text("take");
        String out = args.text("out");
        Path file = Path.of(out);
        if (!file.isAbsolute()) {
            throw new RequestException(RequestException.BAD_ARGUMENT,
                    "\"out\" must be an absolute path (the daemon's working directory is not yours), was " + out);
        }
        try {
            ExportResult e = store.export(id, file, progress);
            ObjectNode r = Json.object();
            r.put("file", e.file().toString());
            r.put("frames", e.frames());
            r.put("bytes", e.bytes());
            r.put("rf64", e.rf64());
            return r;
        } catch (CapstanException e) {
            throw Replies.storageFailure(e);
        }
    }

    private ObjectNode verify(Args args, ProgressListener progress) throws RequestException {
        String id = args.optionalText("take");
        try {
            VerifyReport report = store.verify(id, progress);
            ObjectNode r = Json.object();
            r.put("ok", report.ok());
            r.put("takes", report.takes());
            r.put("chunks", report.chunks());
            ArrayNode problems = r.putArray("problems");
            for (VerifyReport.Problem p : report.problems()) {
                ObjectNode o = problems.addObject();
                o.put("take", p.takeId());
                o.put("chunk", p.index());
                o.put("expected", p.expected());
                o.put("actual", p.actual());
            }
            return r;
        } catch (CapstanException e) {
            throw Replies.storageFailure(e);
        }
    }

}
