package io.capstan.cli;

import java.io.PrintStream;

import io.capstan.cli.internal.Context;
import io.capstan.cli.internal.Root;
import io.capstan.transport.fifo.RuntimeDirectories;

/**
 * The {@code capstan} command line: every verb, its options, help, renderings and exit status,
 * defined once (picocli) and run against a {@link Transport}. Two hosts run it: {@link #main}
 * (plain Java, no framework: a daemon or workstation runs) and the product's command
 * application, which serves the protocol itself for the one command (no daemon runs). So a
 * command means the same on both paths: each is a request of docs/PROTOCOL.md.
 *
 * <p>Exit status: {@link #OK}, {@link #FAILED}, {@link #USAGE}, {@link #UNAVAILABLE};
 * {@link #INTERRUPTED} after Ctrl-C cancelled long work.
 */
public final class Cli {

    /** Done. */
    public static final int OK = 0;
    /** The command ran and failed (the take did not record, a file could not be written, …). */
    public static final int FAILED = 1;
    /** Wrong usage: an unknown verb or option, a bad value. */
    public static final int USAGE = 2;
    /** No Capstan to run it: {@code stop} or {@code events} without a daemon, a daemon that does not answer. */
    public static final int UNAVAILABLE = 3;
    /** Ctrl-C (INT) or TERM cancelled long work (128 + SIGINT). */
    public static final int INTERRUPTED = 130;
    /**
     * Exit status of {@link #main} that no user sees: nothing runs here, so the {@code capstan}
     * script runs the same command line in the product ({@link #run} with {@code inProduct}).
     */
    public static final int RUN_IN_PRODUCT = 64;

    private Cli() {
    }

    /**
     * The plain-Java path: talks to the daemon or workstation serving
     * {@code $XDG_RUNTIME_DIR/capstan/control.sock}; exits {@link #RUN_IN_PRODUCT} when none does
     * and the command can run without one.
     */
    public static void main(String[] args) {
        System.exit(run(args, SocketTransport.opener(RuntimeDirectories.path()), false, System.out, System.err));
    }

    /**
     * Runs one command line.
     *
     * @param opener    connects to the Capstan that runs the command
     * @param inProduct true in the product's command application (it serves the protocol itself);
     *                  false in the plain client, which then answers {@link #RUN_IN_PRODUCT} when
     *                  nothing runs
     * @return the exit status
     */
    public static int run(String[] args, Transport.Opener opener, boolean inProduct, PrintStream out, PrintStream err) {
        return Root.run(args, new Context(opener, inProduct, out, err, System.getenv()));
    }
}
