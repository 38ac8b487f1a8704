package io.capstan.test.pipewire;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real ext4 file system in an image file on a loop device, mounted with
 * {@code errors=remount-ro} for a test (root only: CI runs as root), that can be made to fail as a
 * disk fails: {@link #triggerError()} raises an ext4 error through the kernel's
 * {@code /sys/fs/ext4/<dev>/trigger_fs_error}, and the file system turns read-only under whatever
 * writes to it (EROFS), as Linux does after an I/O error. Tests that cannot set one up are
 * skipped with the reason.
 */
public final class LoopExt4 implements AutoCloseable {

    private final Path dir;
    private final Path image;
    private final String device;

    private LoopExt4(Path dir, Path image, String device) {
        this.dir = dir;
        this.image = image;
        this.device = device;
    }

    /** Makes an ext4 image of {@code mebibytes} next to {@code dir}, attaches it and mounts it on {@code dir}. */
    public static LoopExt4 mount(Path dir, int mebibytes) throws Exception {
        Assumptions.assumeTrue("0".equals(Shell.run(false, "id", "-u").strip()),
                "a loop-mounted ext4 needs root (CI runs as root)");
        Files.createDirectories(dir);
        Path image = dir.resolveSibling(dir.getFileName() + ".ext4");
        try {
            Shell.run(true, "truncate", "-s", mebibytes + "M", image.toString());
            Shell.run(true, "mkfs.ext4", "-q", "-F", image.toString());
        } catch (IOException e) {
            Files.deleteIfExists(image);
            Assumptions.abort("cannot make an ext4 image (e2fsprogs): " + e.getMessage());
        }
        String device = Shell.run(false, "losetup", "-f", "--show", image.toString()).strip();
        if (!device.startsWith("/dev/loop")) {
            Files.deleteIfExists(image);
            Assumptions.abort("no loop device here: " + device);
        }
        LoopExt4 disk = new LoopExt4(dir, image, device);
        try {
            Shell.run(true, "mount", "-o", "errors=remount-ro", device, dir.toString());
        } catch (IOException e) {
            disk.close();
            Assumptions.abort("cannot mount ext4 from a loop device here: " + e.getMessage());
        }
        if (!Files.isDirectory(Path.of("/sys/fs/ext4", Path.of(device).getFileName().toString()))) {
            disk.close();
            Assumptions.abort("the kernel has no /sys/fs/ext4/" + Path.of(device).getFileName()
                    + " to raise an error through");
        }
        return disk;
    }

    /** @return the mount point */
    public Path dir() {
        return dir;
    }

    /** Raises an ext4 error: the file system turns read-only ("emergency_ro") at once. */
    public void triggerError() throws IOException {
        Files.writeString(Path.of("/sys/fs/ext4", Path.of(device).getFileName().toString(), "trigger_fs_error"), "1");
    }

    /** @return whether the file system is mounted read-only now */
    public boolean readOnly() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream().map(l -> l.split(" "))
                .anyMatch(f -> f[1].equals(dir.toString()) && (List.of(f[3].split(",")).contains("ro")
                        || List.of(f[3].split(",")).contains("emergency_ro"))); // ext4 after an error
    }

    /**
     * What a person does after the error: unmounts the file system and mounts it again (ext4
     * replays its journal), read-write. Every process using it must have ended.
     */
    public void remount() throws Exception {
        Shell.run(true, "umount", dir.toString());
        Shell.run(true, "mount", "-o", "errors=remount-ro", device, dir.toString());
    }

    @Override
    public void close() throws Exception {
        Shell.run(false, "umount", "-l", dir.toString());
        Shell.run(false, "losetup", "-d", device);
        Files.deleteIfExists(image);
    }
}
