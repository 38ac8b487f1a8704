package io.capstan.console.internal;

import java.io.PrintStream;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.capstan.cli.Cli;
import io.capstan.cli.SocketTransport;
import io.capstan.cli.Transport;
import io.capstan.daemon.CommandGateway;
import io.capstan.transport.fifo.RuntimeDirectories;

/**
 * Gogo commands of scope {@code capstan}: the {@code capstan} command line itself (io.capstan.cli),
 * with the same options, output and exit status, run against the control protocol this framework
 * serves (the console and the workstation serve it; {@code ./capstan console} does). So
 * {@code capstan:record --device tone --seconds 2 --out /tmp/a.wav} in the console does what
 * {@code ./capstan record --device tone --seconds 2 --out /tmp/a.wav} does in a shell, and
 * {@code capstan:record --help} prints the same help. Output goes to the session's streams.
 */
@Component(service = CapstanCommands.class, property = { "osgi.command.scope=capstan",
        "osgi.command.function=devices", "osgi.command.function=await", "osgi.command.function=record",
        "osgi.command.function=stoptake", "osgi.command.function=takes", "osgi.command.function=take",
        "osgi.command.function=export", "osgi.command.function=verify", "osgi.command.function=rm", "osgi.command.function=note",
        "osgi.command.function=gc", "osgi.command.function=status" })
public final class CapstanCommands {

    private static final String OPTIONS = "options as for ./capstan; --help lists them, --json prints JSON";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CommandGateway gateway;

    @Descriptor("list capture devices: id, channels [positions], rate, backend, description")
    public int devices(@Descriptor(OPTIONS) String... args) {
        return run("devices", args);
    }

    @Descriptor("wait until a device exists and print it: await DEVICE [--seconds N]")
    public int await(@Descriptor(OPTIONS) String... args) {
        return run("await", args);
    }

    @Descriptor("record a device into the store: record --device DEVICE [--seconds N] [--out FILE.wav] "
            + "[--format F] [--rate HZ] [--channels N] [--convert] [--backend ID]")
    public int record(@Descriptor(OPTIONS) String... args) {
        return run("record", args);
    }

    @Descriptor("stop a recording take (sealed and kept): stoptake TAKE")
    public int stoptake(@Descriptor(OPTIONS) String... args) {
        return run("stop-take", args);
    }

    @Descriptor("list takes: takes [--device ID] [--state STATE] [--since DATE]")
    public int takes(@Descriptor(OPTIONS) String... args) {
        return run("takes", args);
    }

    @Descriptor("show one take: take TAKE")
    public int take(@Descriptor(OPTIONS) String... args) {
        return run("take", args);
    }

    @Descriptor("write a take as WAV (RF64 above 4 GiB): export TAKE --out FILE.wav")
    public int export(@Descriptor(OPTIONS) String... args) {
        return run("export", args);
    }

    @Descriptor("re-hash stored chunks and report mismatches: verify [TAKE]")
    public int verify(@Descriptor(OPTIONS) String... args) {
        return run("verify", args);
    }

    @Descriptor("remove takes (their chunks are freed by gc): rm TAKE...")
    public int rm(@Descriptor(OPTIONS) String... args) {
        return run("rm", args);
    }

    @Descriptor("give a finished take a note, shown by take: note TAKE TEXT...")
    public int note(@Descriptor(OPTIONS) String... args) {
        return run("note", args);
    }

    @Descriptor("delete stored chunks no take refers to: gc [--grace SECONDS]")
    public int gc(@Descriptor(OPTIONS) String... args) {
        return run("gc", args);
    }

    @Descriptor("store, free space, dropins, settings, backends, recording takes")
    public int status(@Descriptor(OPTIONS) String... args) {
        return run("status", args);
    }

    /** @return the command's exit status (0 done, 1 failed, 2 usage, 3 unavailable) */
    private int run(String verb, String[] args) {
        String[] line = new String[args.length + 1];
        line[0] = verb;
        System.arraycopy(args, 0, line, 1, args.length);
        CommandGateway g = gateway;
        // System.out is the Gogo session's stream while a command runs
        PrintStream out = System.out;
        // the protocol this framework serves; else whatever serves this user's runtime directory
        Transport.Opener opener = SocketTransport.opener(g != null ? g.runtimeDirectory() : RuntimeDirectories.path());
        return Cli.run(line, opener, true, out, out);
    }
}
