package io.capstan.ui.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.util.tracker.ServiceTracker;

/** Runs Gogo console commands (the ones a user types after ./capstan console). */
final class Console {

    private Console() {
    }

    /** @return what the command printed, followed by its result */
    static String run(String command) throws Exception {
        ServiceTracker<CommandProcessor, CommandProcessor> t = new ServiceTracker<>(TestWorkbench.context(),
                CommandProcessor.class, null);
        t.open();
        CommandProcessor processor = t.waitForService(TimeUnit.SECONDS.toMillis(20));
        if (processor == null) {
            throw new AssertionError("no Gogo command processor");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            Object result = session.execute(command);
            print.flush();
            return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : String.valueOf(result));
        } finally {
            t.close();
        }
    }
}
