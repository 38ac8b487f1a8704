package io.capstan.transport.fifo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.capstan.transport.fifo.internal.jna.LibC;

class RuntimeDirectoryTest {

    @TempDir
    Path temp;

    private int uid;

    @BeforeEach
    void setUp() {
        LibC.load();
        uid = LibC.geteuid();
    }

    @Test
    void createsRuntimeDirectoryPrivate() throws Exception {
        Path xdg = Files.createDirectory(temp.resolve("xdg"));
        RuntimeDirectory directory = RuntimeDirectory.resolve(xdg.toString(), temp, "alice", uid);
        assertEquals(xdg.resolve("capstan"), directory.path());
        directory.prepare();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.path())));

        try (Fifo fifo = directory.createFifo()) {
            assertEquals("pcm-" + ProcessHandle.current().pid() + "-1.fifo", fifo.path().getFileName().toString());
            assertTrue(Files.readAttributes(fifo.path(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(),
                    "a FIFO, not a regular file");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo.path())));
            try (Fifo second = directory.createFifo()) {
                assertEquals("pcm-" + ProcessHandle.current().pid() + "-2.fifo", second.path().getFileName().toString());
            }
        }
    }

    @Test
    void fallsBackToTempDirectoryWithoutXdgRuntimeDir() throws Exception {
        RuntimeDirectory directory = RuntimeDirectory.resolve(null, temp, "alice", uid);
        assertEquals(temp.resolve("capstan-alice"), directory.path());
        directory.prepare();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.path())));
        assertEquals(temp.resolve("capstan-alice"), RuntimeDirectory.resolve("relative/dir", temp, "alice", uid).path());
        assertEquals(temp.resolve("capstan-alice"),
                RuntimeDirectory.resolve(temp.resolve("missing").toString(), temp, "alice", uid).path());
    }

    @Test
    void refusesDirectoryOpenToOtherUsers() throws Exception {
        Path open = Files.createDirectory(temp.resolve("capstan-bob"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        IOException e = assertThrows(IOException.class, () -> RuntimeDirectory.resolve(null, temp, "bob", uid).prepare());
        assertTrue(e.getMessage().contains("rwxr-xr-x") && e.getMessage().contains("chmod 700 " + open), e.getMessage());
    }

    @Test
    void refusesDirectoryOfAnotherUser() throws Exception {
        int other = uid + 1;
        IOException e = assertThrows(IOException.class,
                () -> RuntimeDirectory.resolve(null, temp, "carol", other).prepare());
        assertTrue(e.getMessage().contains("belongs to uid " + uid), e.getMessage());
    }

    @Test
    void refusesSymbolicLink() throws Exception {
        Path target = Files.createDirectory(temp.resolve("elsewhere"));
        Files.createSymbolicLink(temp.resolve("capstan-dave"), target);
        IOException e = assertThrows(IOException.class, () -> RuntimeDirectory.resolve(null, temp, "dave", uid).prepare());
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    @Test
    void removesStaleFifosOfDeadProcesses() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        assertTrue(dead.waitFor(10, TimeUnit.SECONDS));
        Process live = new ProcessBuilder("sleep", "30").start();
        try {
            Path runtime = temp.resolve("run");
            RuntimeDirectory directory = new RuntimeDirectory(runtime, uid);
            directory.prepare();
            Path stale = fifo(runtime.resolve("pcm-" + dead.pid() + "-1.fifo"));
            Path ofLive = fifo(runtime.resolve("pcm-" + live.pid() + "-1.fifo"));
            Path ofSelf = fifo(runtime.resolve("pcm-" + ProcessHandle.current().pid() + "-7.fifo"));
            Path regular = Files.writeString(runtime.resolve("pcm-" + dead.pid() + "-2.fifo"), "not a fifo");
            Path other = fifo(runtime.resolve("control.fifo"));

            new FifoTransport(Duration.ofSeconds(5), Duration.ofSeconds(3), directory).deactivate(); // activation

            assertFalse(Files.exists(stale, LinkOption.NOFOLLOW_LINKS), "FIFO of a dead process is removed");
            assertTrue(Files.exists(ofLive, LinkOption.NOFOLLOW_LINKS), "FIFO of a live process is kept");
            assertTrue(Files.exists(ofSelf, LinkOption.NOFOLLOW_LINKS), "own FIFO is kept");
            assertTrue(Files.exists(regular), "only FIFOs are removed");
            assertTrue(Files.exists(other, LinkOption.NOFOLLOW_LINKS), "other names are kept");
            assertEquals(0, directory.removeStaleFifos());
        } finally {
            live.destroyForcibly();
        }
    }

    private static Path fifo(Path path) {
        assertEquals(0, LibC.mkfifo(path.toString(), 0600), "mkfifo " + path);
        return path;
    }
}
