package io.capstan.ui.internal;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Listener;

/**
 * Figures for docs/BENCHMARKS.md: start to window and to ready, RSS idle and with 8 device parts
 * metering, CPU while 8 meters update. Run with -Dcapstan.benchmark=true (see that page).
 */
final class Benchmark {

    private Benchmark() {
    }

    static void run(TestWorkbench wb, long readyNanos) throws Exception {
        StringBuilder out = new StringBuilder();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long jvmStartNanos = System.nanoTime() - (System.currentTimeMillis() - jvmStart) * 1_000_000L;
        out.append(String.format("E4Application.start to visible window: %.2f s%n", (wb.windowVisibleNanos - wb.startedNanos) / 1e9));
        out.append(String.format("E4Application.start to ready (3 device parts metering): %.2f s%n", (readyNanos - wb.startedNanos) / 1e9));
        out.append(String.format("JVM start to visible window (framework, test harness, backend install included): %.2f s%n",
                (wb.windowVisibleNanos - jvmStartNanos) / 1e9));
        TestWorkbench.await("no device parts", () -> WorkstationTest.deviceParts().isEmpty());
        out.append(String.format("RSS idle (window open, no device parts): %d MiB%n", rssAfterGc()));

        double[] eight = {110, 220, 330, 440, 550, 660, 770, 880};
        WorkstationTest.configureTestSignal(eight);
        Path dropped = Path.of(System.getProperty("felix.fileinstall.dir"), "bench-testsignal.jar");
        Files.copy(WorkstationTest.jar(), dropped);
        try {
            TestWorkbench.await("8 metering device parts", Duration.ofSeconds(60), () -> {
                for (double hz : eight) {
                    String id = "testsignal-sine-" + (long) hz;
                    if (!WorkstationTest.hasRenderedPart(id) || WorkstationTest.levels(id) == null
                            || WorkstationTest.levels(id).frames() == 0) {
                        return false;
                    }
                }
                return true;
            });
            Thread.sleep(3000);
            Screenshot.save(wb, Path.of(System.getProperty("capstan.output"), "workstation-8-parts.png"));
            out.append(String.format("RSS with 8 device parts metering: %d MiB%n", rssAfterGc()));

            MeterCanvas meter = WorkstationTest.widgets(MeterCanvas.class, "capstan.meter", "testsignal-sine-440").get(0);
            AtomicInteger paints = new AtomicInteger();
            Listener count = e -> paints.incrementAndGet();
            wb.ui(() -> {
                meter.addListener(SWT.Paint, count);
                return null;
            });
            var threads = ManagementFactory.getThreadMXBean();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long uiThread = wb.display().getThread().threadId();
            long ui0 = threads.getThreadCpuTime(uiThread);
            long meter0 = cpuOf(threads, "capstan-meter");
            long signal0 = cpuOf(threads, "capstan-testsignal-");
            long proc0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(10_000);
            long wall = System.nanoTime() - t0;
            long ui = threads.getThreadCpuTime(uiThread) - ui0;
            long meterCpu = cpuOf(threads, "capstan-meter") - meter0;
            long signal = cpuOf(threads, "capstan-testsignal-") - signal0;
            long proc = os.getProcessCpuTime() - proc0;
            wb.ui(() -> {
                meter.removeListener(SWT.Paint, count);
                return null;
            });
            out.append(String.format("meter repaints per second (one of 8 parts): %.1f%n", paints.get() / (wall / 1e9)));
            out.append(String.format("CPU of one core over 10 s with 8 meters: UI thread %.1f %%, capstan-meter thread %.1f %%, "
                    + "8 test-signal generators %.1f %%, whole process %.1f %%%n", 100.0 * ui / wall, 100.0 * meterCpu / wall,
                    100.0 * signal / wall, 100.0 * proc / wall));
            out.append(String.format("machine: %d CPUs, load average %.2f, %s%n", Runtime.getRuntime().availableProcessors(),
                    os.getSystemLoadAverage(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version")));
        } finally {
            Files.deleteIfExists(dropped);
            TestWorkbench.await("the benchmark devices go", () -> WorkstationTest.deviceParts().isEmpty());
        }
        System.out.print(out);
        Files.writeString(Path.of(System.getProperty("capstan.output"), "benchmark.txt"), out);
    }

    private static long cpuOf(java.lang.management.ThreadMXBean threads, String prefix) {
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    private static long rssAfterGc() throws Exception {
        System.gc();
        Thread.sleep(2000);
        List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
        String rss = status.stream().filter(l -> l.startsWith("VmRSS:")).collect(Collectors.joining());
        return Long.parseLong(rss.replaceAll("\\D", "")) / 1024;
    }

}
