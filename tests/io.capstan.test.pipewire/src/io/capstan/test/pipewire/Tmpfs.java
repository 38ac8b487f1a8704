package io.capstan.test.pipewire;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real tmpfs of a set size mounted for a test (root only: CI runs as root), so that a disk that
 * fills up or turns read-only is the kernel's, not a fake. Tests that cannot mount one are skipped
 * with the reason. (In this bundle as the one test-support bundle every test bundle can import.)
 */
public final class Tmpfs implements AutoCloseable {

    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (mount(8) syntax: "2m") on {@code dir}, created when missing. */
    public static Tmpfs mount(Path dir, String size) throws Exception {
        Assumptions.assumeTrue("0".equals(Shell.run(false, "id", "-u").strip()),
                "mounting a tmpfs needs root (CI runs as root); run the build as root to test full and read-only disks");
        Files.createDirectories(dir);
        String out = Shell.run(false, "mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "capstan-test", dir.toString());
        Assumptions.assumeTrue(isMountPoint(dir), "cannot mount a tmpfs here: " + out);
        return new Tmpfs(dir);
    }

    /** @return the mount point */
    public Path dir() {
        return dir;
    }

    /** Remounts with {@code options} ("size=8m", "ro", "rw"). */
    public void remount(String options) throws Exception {
        Shell.run(true, "mount", "-o", "remount," + options, dir.toString());
    }

    /**
     * Fills the file system up: writes {@code name} until the kernel says there is no space left.
     *
     * @return the filler, to delete when space should come back
     */
    public Path fill(String name) throws IOException {
        Path filler = dir.resolve(name);
        byte[] block = new byte[4096];
        try (var out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 1 << 20; i++) {
                out.write(block);
                out.flush();
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
            return filler;
        }
        throw new IOException("wrote 4 GiB to " + dir + " without filling it");
    }

    @Override
    public void close() throws Exception {
        Shell.run(true, "umount", "-l", dir.toString());
    }

    private static boolean isMountPoint(Path dir) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .anyMatch(l -> l.split(" ")[1].equals(dir.toAbsolutePath().toString()));
    }
}
