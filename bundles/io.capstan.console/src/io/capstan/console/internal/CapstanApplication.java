package io.capstan.console.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

import io.capstan.api.CaptureService;
import io.capstan.api.ChunkStore;
import io.capstan.api.DeviceRegistry;
import io.capstan.api.SampleFormat;

/**
 * The {@code capstan} command line as an Equinox application ({@code io.capstan.console.cli}):
 * runs one command against the services of this framework and returns its exit status.
 */
public final class CapstanApplication implements IApplication {

    /** How long the command waits for Capstan's services to come up, in seconds. */
    static final long SERVICE_WAIT_SECONDS = 20;

    /** Options that take no value. */
    static final java.util.Set<String> FLAGS = java.util.Set.of("convert");

    static final String USAGE = """
            usage: capstan COMMAND [OPTIONS]
              devices                                   list capture devices
              await DEVICE [--seconds N]                wait until a device exists (default 10 s)
              record --device DEVICE --seconds N [--out FILE.wav] [--format F32_LE|S16_LE|S24_LE|S32_LE]
                     [--rate HZ] [--channels N] [--convert] [--backend pipewire|sidecar]
                                                record N seconds into the store (and export);
                                                DEVICE: id, 'default', or a description prefix
              takes                                     list takes
              export TAKE --out FILE.wav                export a take as WAV (RF64 above 4 GiB)
              verify [TAKE]                             re-hash stored chunks, report mismatches
              status                                    store, backends, takes recording
              console                                   the OSGi console (Gogo) of a running Capstan
            """;

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS,
                new String[0]);
        context.applicationRunning();
        try {
            return run(args);
        } catch (UsageException e) {
            System.err.println("capstan: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        } catch (ServiceMissingException e) {
            System.err.println("capstan: " + e.getMessage());
            return 1;
        }
    }

    private int run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        List<String> positional = new ArrayList<>();
        Map<String, String> options = parse(args, positional);
        String command = positional.remove(0);
        BundleContext bc = FrameworkUtil.getBundle(getClass()).getBundleContext();
        Commands commands = new Commands(service(bc, DeviceRegistry.class), service(bc, CaptureService.class),
                service(bc, ChunkStore.class), System.out, System.err);
        switch (command) {
            case "devices":
                return commands.devices();
            case "record": {
                String device = require(options, "device");
                double seconds = number(require(options, "seconds"), "--seconds");
                String out = options.get("out");
                SampleFormat sampleFormat;
                try {
                    sampleFormat = options.containsKey("format") ? SampleFormat.parse(options.get("format")) : null;
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                return commands.record(device, seconds, sampleFormat, integer(options, "rate"),
                        integer(options, "channels"), out == null ? null : Path.of(out), options.get("backend"),
                        options.containsKey("convert"));
            }
            case "await": {
                if (positional.size() != 1) {
                    throw new UsageException("await needs one device (id, 'default' or description prefix)");
                }
                return commands.await(positional.get(0),
                        options.containsKey("seconds") ? number(options.get("seconds"), "--seconds") : 10);
            }
            case "takes":
                return commands.takes();
            case "export":
                if (positional.size() != 1) {
                    throw new UsageException("export needs one take id (see 'capstan takes')");
                }
                return commands.export(positional.get(0), Path.of(require(options, "out")));
            case "verify":
                return commands.verify(positional.isEmpty() ? null : positional.get(0));
            case "status":
                return commands.status();
            default:
                throw new UsageException("unknown command '" + command + "'");
        }
    }

    private static Integer integer(Map<String, String> options, String name) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was '" + v + "'");
        }
    }

    private static Map<String, String> parse(String[] args, List<String> positional) throws UsageException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String key = args[i].substring(2);
                int eq = key.indexOf('=');
                if (FLAGS.contains(key)) {
                    options.put(key, "true");
                } else if (eq > 0) {
                    options.put(key.substring(0, eq), key.substring(eq + 1));
                } else if (i + 1 < args.length) {
                    options.put(key, args[++i]);
                } else {
                    throw new UsageException("option --" + key + " needs a value");
                }
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.isEmpty()) {
            throw new UsageException("no command given");
        }
        return options;
    }

    private static String require(Map<String, String> options, String name) throws UsageException {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    private static double number(String text, String what) throws UsageException {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException(what + " must be a number, was '" + text + "'");
        }
    }

    private static <T> T service(BundleContext bc, Class<T> type) throws Exception {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(bc, type, null);
        tracker.open();
        T service = tracker.waitForService(TimeUnit.SECONDS.toMillis(SERVICE_WAIT_SECONDS));
        if (service == null) {
            throw new ServiceMissingException(type.getSimpleName() + " did not start within " + SERVICE_WAIT_SECONDS
                    + " s; run './capstan console' and 'scr:list' to see which component is unsatisfied");
        }
        return service;
    }

    @Override
    public void stop() {
        // the command runs to its end; nothing to interrupt
    }

    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static final class ServiceMissingException extends Exception {
        private static final long serialVersionUID = 1L;

        ServiceMissingException(String message) {
            super(message);
        }
    }
}
