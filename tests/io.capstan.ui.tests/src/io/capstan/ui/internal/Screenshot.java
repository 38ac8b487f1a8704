package io.capstan.ui.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Shell;

import io.capstan.api.ActiveTake;
import io.capstan.api.CaptureService;

/**
 * The README's picture: the workstation with two device parts recording, written where
 * {@code -Dcapstan.screenshot=FILE} says (see docs/BENCHMARKS.md for the command).
 */
final class Screenshot {

    private Screenshot() {
    }

    static void takeIfAsked(TestWorkbench wb, CaptureService capture) throws Exception {
        String target = System.getProperty("capstan.screenshot", "");
        if (target.isBlank() || target.startsWith("$") || target.equals("null")) {
            return;
        }
        List<String> recording = List.of(WorkstationTest.SINE, WorkstationTest.SINE_1K);
        for (String id : recording) {
            WorkstationTest.click(WorkstationTest.recordButton(id));
        }
        TestWorkbench.await("both takes run for 3 s", () -> recording.stream().allMatch(id -> {
            ActiveTake t = WorkstationTest.activeTakeOn(id);
            return t != null && t.frames() > 3 * 48_000;
        }));
        Thread.sleep(300); // let the meters and the stats of this very moment paint
        save(wb, Path.of(target));
        for (String id : recording) {
            WorkstationTest.click(WorkstationTest.recordButton(id));
        }
        TestWorkbench.await("the screenshot takes end", () -> capture.active().isEmpty());
    }

    /** Writes the Capstan window as a PNG. */
    static void save(TestWorkbench wb, Path file) throws Exception {
        ImageData data = wb.ui(() -> {
            Shell shell = wb.mainShell();
            Rectangle r = shell.getBounds();
            Image image = new Image(wb.display(), r.width, r.height);
            GC gc = new GC(wb.display());
            try {
                gc.copyArea(image, r.x, r.y);
                return image.getImageData();
            } finally {
                gc.dispose();
                image.dispose();
            }
        });
        ImageLoader loader = new ImageLoader();
        loader.data = new ImageData[] {data};
        Files.createDirectories(file.toAbsolutePath().getParent());
        loader.save(file.toString(), SWT.IMAGE_PNG);
    }
}
