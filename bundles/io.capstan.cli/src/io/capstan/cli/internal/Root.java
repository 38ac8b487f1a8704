package io.capstan.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.net.URL;
import java.util.Enumeration;
import java.util.concurrent.Callable;
import java.util.jar.Manifest;

import io.capstan.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code capstan}: the command model. Each verb is one class; picocli parses, checks and
 * documents them (help, man page, completion); each verb sends protocol requests through the
 * {@link Context}'s transport and renders the results.
 */
@Command(name = "capstan", mixinStandardHelpOptions = true, versionProvider = Root.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Records audio devices into a content-addressed store of sealed chunks; lists, checks, "
                + "exports and removes takes. Talks to a running daemon or workstation, or runs the command in "
                + "a Capstan of its own when none runs; either way a command means the same.",
        subcommands = { Verbs.Devices.class, Verbs.Await.class, Record.class, Verbs.StopTake.class, Verbs.Takes.class,
                Verbs.TakeInfo.class, LongVerbs.Export.class, LongVerbs.Verify.class, Verbs.Remove.class, Verbs.Note.class,
                LongVerbs.CollectGarbage.class, Verbs.Status.class, Events.class, Verbs.Stop.class, Verbs.Daemon.class,
                Verbs.Console.class, Verbs.Workstation.class, CommandLine.HelpCommand.class },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = { "0:done", "1:failed (the message says why and what to do)",
                "2:wrong usage (unknown command or option, bad value)",
                "3:no Capstan to run it (stop and events need a running daemon; a daemon that does not answer)",
                "130:cancelled by Ctrl-C or TERM" },
        footerHeading = "%nEnvironment:%n",
        footer = { "  CAPSTAN_HOME   the store (default ~/.local/share/capstan)",
                "  CAPSTAN_DEBUG  1: Java stack traces and the framework's log on failures" })
public final class Root implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cli.USAGE;
    }

    /**
     * Parses and runs one command line.
     *
     * @return the exit status
     */
    public static int run(String[] args, Context ctx) {
        CommandLine cl = commandLine(ctx);
        cl.setOut(new PrintWriter(ctx.out, true));
        cl.setErr(new PrintWriter(ctx.err, true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof Exit exit) {
                if (exit.getMessage() != null) {
                    ctx.err.println("capstan: " + exit.getMessage());
                }
                return exit.status();
            }
            if (e instanceof IOException) {
                ctx.err.println("capstan: lost the connection to Capstan (" + e.getMessage()
                        + "); see capstan status");
            } else {
                ctx.err.println("capstan: " + cmd.getCommandName() + " failed: " + e
                        + (ctx.debug ? "" : " (CAPSTAN_DEBUG=1 shows where)"));
            }
            if (ctx.debug) {
                e.printStackTrace(ctx.err);
            }
            return Cli.FAILED;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            ctx.err.println("capstan: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, ctx.err);
            ctx.err.println("see: " + cmd.getCommandSpec().qualifiedName() + " --help");
            return Cli.USAGE;
        });
        return cl.execute(args);
    }

    /** @return the command model with every verb made for {@code ctx} (for man pages and completion: any ctx) */
    public static CommandLine commandLine(Context ctx) {
        return new CommandLine(new Root(), new Factory(ctx));
    }

    /** Makes verbs that take the {@link Context} in their constructor. */
    private record Factory(Context ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                Constructor<K> c = cls.getDeclaredConstructor(Context.class);
                return c.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

    /** {@code --version}: this bundle's version (its manifest) and the Java runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] { "capstan " + bundleVersion() + " (Java " + Runtime.version() + ", "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")" };
        }

        static String bundleVersion() {
            try {
                Enumeration<URL> manifests = Root.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
                while (manifests.hasMoreElements()) {
                    try (InputStream in = manifests.nextElement().openStream()) {
                        var attributes = new Manifest(in).getMainAttributes();
                        String name = attributes.getValue("Bundle-SymbolicName");
                        if (name != null && name.startsWith("io.capstan.cli")) {
                            return attributes.getValue("Bundle-Version");
                        }
                    }
                }
            } catch (IOException e) {
                // no manifest to read: a build without one
            }
            return "(unknown version)";
        }
    }
}
