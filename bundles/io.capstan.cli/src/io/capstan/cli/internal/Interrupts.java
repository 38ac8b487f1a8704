package io.capstan.cli.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.capstan.cli.Cli;

/**
 * Ctrl-C and TERM during long work: the first one runs the command's own ending (stop the take,
 * cancel the export) and lets it finish normally; a second one leaves at once. The
 * {@code capstan} script passes Ctrl-C on to the JVM as TERM, so both signals mean the same.
 * Without {@code sun.misc.Signal} (another Java runtime) the JVM's default applies: it exits.
 */
final class Interrupts implements AutoCloseable {

    private static final String[] SIGNALS = { "INT", "TERM" };

    private final AtomicInteger count = new AtomicInteger();
    private final List<Object[]> previous = new ArrayList<>();

    private Interrupts() {
    }

    /**
     * @param first  runs on the first signal, on the signal's own thread (it may block briefly)
     * @param second what to say before leaving on the second
     */
    static Interrupts install(Context ctx, Runnable first, String second) {
        Interrupts i = new Interrupts();
        try {
            for (String name : SIGNALS) {
                sun.misc.Signal signal = new sun.misc.Signal(name);
                sun.misc.SignalHandler old = sun.misc.Signal.handle(signal, s -> {
                    if (i.count.incrementAndGet() == 1) {
                        first.run();
                    } else {
                        ctx.err.println();
                        ctx.err.println("capstan: " + second);
                        ctx.err.flush();
                        Runtime.getRuntime().halt(Cli.INTERRUPTED);
                    }
                });
                i.previous.add(new Object[] { signal, old });
            }
        } catch (LinkageError | IllegalArgumentException e) {
            // no sun.misc (or the signal is the JVM's own): the default ending applies
        }
        return i;
    }

    /** @return true once a signal arrived */
    boolean interrupted() {
        return count.get() > 0;
    }

    @Override
    public void close() {
        for (Object[] p : previous) {
            sun.misc.Signal.handle((sun.misc.Signal) p[0], (sun.misc.SignalHandler) p[1]);
        }
    }
}
