package io.capstan.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.capstan.cli.Cli;
import io.capstan.cli.Transport;

/** Every verb of the command line against {@link FakeCapstan}: options, requests, renderings, exit status. */
class CommandLineTest {

    @TempDir
    Path dir;

    private static final String DEVICE = "{'id':'tone','description':'Test tone','channels':2,'positions':['FL','FR'],"
            + "'rate':48000,'format':'F32_LE','backend':'pipewire'}";
    private static final String TAKE = "{'take':'20261203-120000-000-abcd','state':'COMPLETE','seconds':2.0,"
            + "'frames':96000,'chunks':2,'format':'48000 Hz 2ch F32_LE','device':'tone','startedAt':'2026-12-03T12:00:00Z',"
            + "'endedAt':'2026-12-03T12:00:02Z','reason':'frame limit reached','backend':'pipewire',"
            + "'statistics':{'overruns':0,'overrunFrames':0,'xruns':1,'xrunFrames':1024,'longestCallbackNanos':2000000}}";

    /** A Capstan on which record --seconds 2 runs to its frame limit. */
    private static FakeCapstan recording(long frames) {
        FakeCapstan f = new FakeCapstan().ok("subscribe", "{'epoch':'e','last':0,'oldest':0}");
        f.on("start", r -> List.of(FakeCapstan.reply(r, "{'take':'20261203-120000-000-abcd','device':'tone',"
                + "'description':'Test tone','backend':'pipewire','format':'48000 Hz 2ch F32_LE','state':'RECORDING',"
                + "'frames':0,'chunks':0,'frameLimit':" + frames + "}"),
                FakeCapstan.event("capstan/take/STARTED", "{'take.id':'20261203-120000-000-abcd'}"),
                FakeCapstan.event("capstan/take/STOPPED", "{'take.id':'20261203-120000-000-abcd','reason':'frame limit reached'}")));
        return f.ok("take", TAKE);
    }

    @Test
    void helpAndVersionExitZeroWithoutTalkingToCapstan() {
        FakeCapstan f = new FakeCapstan();
        f.unavailable = new Transport.Unavailable("nothing runs", true);
        FakeCapstan.Run help = f.run("--help");
        assertEquals(Cli.OK, help.status());
        for (String verb : List.of("devices", "await", "record", "stop-take", "takes", "take", "export", "verify", "rm",
                "note", "gc", "status", "events", "stop", "daemon", "console", "workstation")) {
            assertTrue(help.out().contains("  " + verb + " "), verb + " in " + help.out());
        }
        assertTrue(help.out().contains("Exit status:"), help.out());
        FakeCapstan.Run recordHelp = f.run("record", "--help");
        assertEquals(Cli.OK, recordHelp.status(), recordHelp.err());
        assertTrue(recordHelp.out().contains("--seconds=N") && recordHelp.out().contains("--convert"), recordHelp.out());
        assertEquals(Cli.OK, f.run("record", "-h").status());
        assertEquals(Cli.OK, f.run("help", "export").status());
        FakeCapstan.Run version = f.run("--version");
        assertEquals(Cli.OK, version.status());
        assertTrue(version.out().startsWith("capstan "), version.out());
        assertTrue(f.requests.isEmpty());
    }

    @Test
    void wrongUsageIsExitTwoWithOneLineThatSaysWhatToDo() {
        FakeCapstan f = new FakeCapstan();
        FakeCapstan.Run unknown = f.run("recrod");
        assertEquals(Cli.USAGE, unknown.status());
        assertTrue(unknown.err().contains("Unmatched argument") && unknown.err().contains("record"), unknown.err());
        FakeCapstan.Run noDevice = f.run("record", "--seconds", "2");
        assertEquals(Cli.USAGE, noDevice.status());
        assertTrue(noDevice.err().contains("--device"), noDevice.err());
        assertEquals(Cli.USAGE, f.run("record", "--device", "tone", "--seconds", "-1").status());
        assertEquals(Cli.USAGE, f.run("record", "--device", "tone", "--seconds", "two").status());
        assertEquals(Cli.USAGE, f.run("export", "T").status(), "--out is required");
        assertEquals(Cli.USAGE, f.run("gc", "--grace", "-5").status());
        assertEquals(Cli.USAGE, f.run().status(), "no command: the usage");
        assertTrue(f.requests.isEmpty(), "nothing was sent: " + f.requests);
        assertFalse(unknown.err().contains("Exception"), unknown.err());
    }

    @Test
    void everyOptionOfRecordReachesTheStartRequestAndOutIsTheFileNotAFlagValue() {
        FakeCapstan f = recording(96_000).on("export", r -> List.of(FakeCapstan.reply(r,
                "{'file':'" + r.path("out").asText() + "','frames':96000,'bytes':768058,'rf64':false}")));
        Path wav = dir.resolve("x.wav");

        FakeCapstan.Run run = f.run("record", "--device", "tone", "--seconds", "2", "--convert", "--out", wav.toString(),
                "--backend", "sidecar", "--format", "S16_LE", "--rate", "44100", "--channels", "1");

        assertEquals(Cli.OK, run.status(), run.err());
        JsonNode start = f.requests("start").get(0);
        assertEquals("tone", start.path("device").asText());
        assertEquals(2.0, start.path("seconds").asDouble());
        assertTrue(start.path("convert").asBoolean());
        assertEquals("sidecar", start.path("backend").asText());
        assertEquals("S16_LE", start.path("format").asText());
        assertEquals(44100, start.path("rate").asInt());
        assertEquals(1, start.path("channels").asInt());
        assertEquals(wav.toString(), f.requests("export").get(0).path("out").asText());
        assertTrue(run.out().contains("take 20261203-120000-000-abcd: 96000 frames (2.000 s), 2 chunks"), run.out());
        assertTrue(run.out().contains("wrote " + wav), run.out());
        assertTrue(run.out().contains("1 xruns (1024 frames)"), run.out());
        assertTrue(run.err().startsWith("recording tone (Test tone) through pipewire: 96000 frames"), run.err());
    }

    @Test
    void recordWithoutSecondsAsksForAnOpenEndedTake() {
        FakeCapstan f = recording(0);
        FakeCapstan.Run run = f.run("record", "--device", "tone");
        assertEquals(Cli.OK, run.status(), run.err());
        assertFalse(f.requests("start").get(0).has("seconds"));
        assertTrue(run.err().contains("until Ctrl-C or capstan stop-take 20261203-120000-000-abcd"), run.err());
    }

    @Test
    void aTakeShortOfItsFramesOrFailedIsExitOne() {
        FakeCapstan shortTake = recording(100_000);
        FakeCapstan.Run run = shortTake.run("record", "--device", "tone", "--seconds", "2.0833");
        assertEquals(Cli.FAILED, run.status());
        assertTrue(run.err().contains("did not record 100000 frames: frame limit reached"), run.err());

        FakeCapstan failed = recording(96_000);
        failed.on("start", r -> List.of(FakeCapstan.reply(r, "{'take':'T1','frameLimit':96000}"),
                FakeCapstan.event("capstan/take/FAILED", "{'take.id':'T1','reason':'the device went away'}")));
        FakeCapstan.Run f = failed.run("record", "--device", "tone", "--seconds", "2", "--out", dir.resolve("y.wav").toString());
        assertEquals(Cli.FAILED, f.status());
        assertTrue(f.err().contains("take T1 failed: the device went away"), f.err());
        assertTrue(failed.requests("export").isEmpty(), "no export of a failed take");
    }

    @Test
    void aFailedExportAfterRecordingIsExitOneAndNamesTheKeptTake() {
        FakeCapstan f = recording(96_000).on("export", r -> List.of(FakeCapstan.error(r, "STORAGE_FAILED",
                "cannot write /x/y.wav: No space left on device")));
        FakeCapstan.Run run = f.run("record", "--device", "tone", "--seconds", "2", "--out", dir.resolve("y.wav").toString());
        assertEquals(Cli.FAILED, run.status());
        assertTrue(run.err().contains("No space left on device; the take 20261203-120000-000-abcd is kept in the store: "
                + "capstan export 20261203-120000-000-abcd --out FILE"), run.err());
    }

    @Test
    void outIsCheckedBeforeRecording() throws Exception {
        FakeCapstan f = recording(96_000);
        FakeCapstan.Run intoDirectory = f.run("record", "--device", "tone", "--seconds", "2", "--out", dir.toString());
        assertEquals(Cli.USAGE, intoDirectory.status());
        assertTrue(intoDirectory.err().contains("is a directory"), intoDirectory.err());
        FakeCapstan.Run noDir = f.run("record", "--device", "tone", "--seconds", "2", "--out",
                dir.resolve("missing/x.wav").toString());
        assertEquals(Cli.FAILED, noDir.status());
        assertTrue(noDir.err().contains("does not exist; create it"), noDir.err());
        assertTrue(f.requests("start").isEmpty(), "nothing recorded for a file that cannot be written");
    }

    @Test
    void devicesHumanAndJson() {
        FakeCapstan f = new FakeCapstan().ok("devices", "[" + DEVICE + "]");
        FakeCapstan.Run human = f.run("devices");
        assertEquals(Cli.OK, human.status());
        assertEquals("tone  2ch [FL FR]  48000 Hz  pipewire  Test tone\n", human.out());
        FakeCapstan.Run json = f.run("devices", "--json");
        assertEquals(FakeCapstan.tree("[" + DEVICE + "]"), FakeCapstan.tree(json.out()));
        FakeCapstan.Run none = new FakeCapstan().ok("devices", "[]").run("devices");
        assertEquals(Cli.OK, none.status());
        assertTrue(none.err().contains("no capture devices found; capstan status"), none.err());
    }

    @Test
    void takesPassesItsFilters() {
        FakeCapstan f = new FakeCapstan().ok("takes", "[" + TAKE + "]");
        FakeCapstan.Run run = f.run("takes", "--device", "tone", "--state", "complete", "--since", "2026-12-01");
        assertEquals(Cli.OK, run.status(), run.err());
        ObjectNode r = f.requests("takes").get(0);
        assertEquals("tone", r.path("device").asText());
        assertEquals("complete", r.path("state").asText());
        assertEquals("2026-12-01", r.path("since").asText());
        assertEquals("20261203-120000-000-abcd  COMPLETE       2.00 s     2 chunks  48000 Hz 2ch F32_LE  tone\n", run.out());
    }

    @Test
    void protocolErrorsMapToExitStatus() {
        FakeCapstan f = new FakeCapstan()
                .on("take", r -> List.of(FakeCapstan.error(r, "UNKNOWN_TAKE", "no take 'X'; list takes with capstan takes")))
                .on("takes", r -> List.of(FakeCapstan.error(r, "BAD_ARGUMENT", "\"state\" must be one of …")));
        FakeCapstan.Run unknown = f.run("take", "X");
        assertEquals(Cli.FAILED, unknown.status());
        assertEquals("capstan: no take 'X'; list takes with capstan takes\n", unknown.err());
        assertEquals(Cli.USAGE, f.run("takes", "--state", "LOUD").status());
    }

    @Test
    void rmRemovesEachTakeAndReportsTheOnesItCannot() {
        FakeCapstan f = new FakeCapstan().on("rm", r -> List.of(r.path("take").asText().equals("busy")
                ? FakeCapstan.error(r, "TAKE_RECORDING", "take busy is recording; stop it first")
                : FakeCapstan.reply(r, TAKE.replace("20261203-120000-000-abcd", r.path("take").asText()))));
        FakeCapstan.Run run = f.run("rm", "a", "busy", "b");
        assertEquals(Cli.FAILED, run.status());
        assertEquals(List.of("a", "busy", "b"), f.requests("rm").stream().map(r -> r.path("take").asText()).toList());
        assertTrue(run.out().contains("removed a ") && run.out().contains("removed b "), run.out());
        assertTrue(run.err().contains("take busy is recording") && run.err().contains("capstan gc"), run.err());
    }

    @Test
    void gcSendsTheGraceAndShowsWhatItFreed() {
        FakeCapstan f = new FakeCapstan().on("gc", r -> List.of(FakeCapstan.progress(r, 5, 10),
                FakeCapstan.reply(r, "{'objects':10,'referenced':7,'deleted':3,'bytesFreed':3145728,'keptYoung':0,'temporaries':0}")));
        FakeCapstan.Run run = f.run(false, true, "gc", "--grace", "0");
        assertEquals(Cli.OK, run.status(), run.err());
        assertEquals(0, f.requests("gc").get(0).path("graceSeconds").asLong());
        assertTrue(f.requests("gc").get(0).path("progress").asBoolean());
        assertTrue(run.out().startsWith("gc: 10 objects, 7 referenced, 3 deleted (3 MiB freed)"), run.out());
        assertTrue(run.err().contains("\rcollecting [###############...............]  50%"), run.err());
    }

    @Test
    void exportDrawsProgressOnlyOnATerminal() {
        FakeCapstan f = new FakeCapstan().on("export", r -> List.of(FakeCapstan.progress(r, 1 << 20, 4 << 20),
                FakeCapstan.reply(r, "{'file':'/tmp/a.wav','frames':10,'bytes':4194304,'rf64':false}")));
        FakeCapstan.Run plain = f.run("export", "T", "--out", dir.resolve("a.wav").toString());
        assertEquals(Cli.OK, plain.status(), plain.err());
        assertEquals("", plain.err());
        FakeCapstan.Run tty = f.run(false, true, "export", "T", "--out", dir.resolve("a.wav").toString());
        assertTrue(tty.err().contains("exporting [########......................]  25%  1 MiB of 4 MiB"), tty.err());
        assertTrue(tty.err().endsWith("\n"), "the bar's line is ended");
    }

    @Test
    void withoutACapstanThePlainClientHandsOverToTheProductButStopAndEventsNeedADaemon() {
        FakeCapstan f = new FakeCapstan();
        f.unavailable = new Transport.Unavailable("no Capstan daemon is running; start one with: capstan daemon", true);
        assertEquals(Cli.RUN_IN_PRODUCT, f.run("takes").status());
        FakeCapstan.Run stop = f.run("stop");
        assertEquals(Cli.UNAVAILABLE, stop.status());
        assertEquals("capstan: no Capstan daemon is running; start one with: capstan daemon\n", stop.err());
        assertEquals(Cli.UNAVAILABLE, f.run("events").status());
        assertEquals(Cli.UNAVAILABLE, f.run(true, false, "takes").status(), "in the product there is no one to hand over to");
        f.unavailable = new Transport.Unavailable("the daemon (pid 7) does not answer", false);
        assertEquals(Cli.UNAVAILABLE, f.run("takes").status(), "a hung daemon is not replaced behind its back");
    }

    @Test
    void statusNamesDropinsAndSettings() {
        FakeCapstan f = new FakeCapstan().ok("status", "{'mode':'command','state':'running','pid':42,'store':'/s',"
                + "'storeSpace':{'summary':'1 GiB free','warnings':[]},'dropins':'/p/dropins',"
                + "'settings':{'replayEvents':10000},'backends':[{'id':'pipewire','devices':1,'problem':null}],'recording':[]}");
        FakeCapstan.Run run = f.run("status");
        assertTrue(run.out().contains("no daemon runs; this command ran in a Capstan of its own (pid 42)"), run.out());
        assertTrue(run.out().contains("dropins: /p/dropins (bundles dropped here"), run.out());
        assertTrue(run.out().contains("settings: replayEvents=10000"), run.out());
        assertTrue(run.out().contains("backend pipewire: 1 devices\nidle"), run.out());
    }

    @Test
    void awaitAndStopTakeAndTake() {
        FakeCapstan f = new FakeCapstan().ok("await", DEVICE).ok("take", TAKE).ok("stop-take", TAKE);
        FakeCapstan.Run await = f.run("await", "tone", "--seconds", "3");
        assertEquals("tone  2ch [FL FR]  48000 Hz  pipewire  Test tone\n", await.out());
        assertEquals(3.0, f.requests("await").get(0).path("seconds").asDouble());
        FakeCapstan.Run take = f.run("take", "20261203-120000-000-abcd");
        assertTrue(take.out().contains("device:  tone through pipewire") && take.out().contains("1 xruns"), take.out());
        FakeCapstan.Run stop = f.run("stop-take", "20261203-120000-000-abcd");
        assertEquals(Cli.OK, stop.status());
        assertTrue(stop.out().startsWith("take 20261203-120000-000-abcd: 96000 frames"), stop.out());
    }

    @Test
    void verifyFailsWhenAChunkIsBad() {
        FakeCapstan f = new FakeCapstan().ok("verify", "{'ok':false,'takes':1,'chunks':2,'problems':[{'take':'T',"
                + "'chunk':1,'expected':'aa','actual':'missing'}]}");
        FakeCapstan.Run run = f.run("verify");
        assertEquals(Cli.FAILED, run.status());
        assertEquals("BAD  take T chunk 1: expected aa, found missing\nFAILED: 1 takes, 2 chunks checked, 1 bad\n", run.out());
    }

    @Test
    void theLiveLineShowsTimeLevelsGapsAndSpace() {
        Context ctx = new Context(null, false, System.out, System.err, java.util.Map.of());
        RecordingLine line = new RecordingLine(ctx);
        line.levels(FakeCapstan.tree("{'channels':2,'peak.0':0.5,'peak.1':0}"));
        line.gap(false, 1024);
        line.space(FakeCapstan.tree("{'usableBytes':1073741824}"));
        assertEquals("REC 1:02.5  peak dBFS   -6.0   -inf  overruns 0  xruns 1  1 GiB free", line.text(62.5));
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void noteJoinsItsWordsAndTakeShowsIt() {
        FakeCapstan f = new FakeCapstan().on("note", r -> List.of(FakeCapstan.reply(r,
                TAKE.replace("'backend':'pipewire',", "'backend':'pipewire','note':'" + r.path("text").asText() + "',"))));
        FakeCapstan.Run run = f.run("note", "20261203-120000-000-abcd", "second", "verse,", "keep");
        assertEquals(Cli.OK, run.status(), run.err());
        assertEquals("second verse, keep", f.requests("note").get(0).path("text").asText());
        assertEquals("take 20261203-120000-000-abcd: second verse, keep\n", run.out());
        assertEquals(Cli.USAGE, f.run("note", "20261203-120000-000-abcd").status(), "no text");
        FakeCapstan shown = new FakeCapstan().ok("take", TAKE.replace("'backend':'pipewire',",
                "'backend':'pipewire','note':'keep this one',"));
        assertTrue(shown.run("take", "X").out().contains("  note:    keep this one"));
    }
}
