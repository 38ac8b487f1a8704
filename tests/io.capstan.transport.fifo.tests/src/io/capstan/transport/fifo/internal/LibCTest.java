package io.capstan.transport.fifo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.jna.Platform;

import io.capstan.transport.fifo.internal.jna.ErrnoException;
import io.capstan.transport.fifo.internal.jna.LibC;

/** Layout and constants of {@link LibC} checked against the real C library and kernel. */
class LibCTest {

    @TempDir
    Path temp;

    @BeforeEach
    void setUp() {
        LibC.load();
    }

    @Test
    void pollfdHasTheLayoutOfPollH() {
        assertEquals(8, new LibC.pollfd().size());
    }

    @Test
    void opensFifoWithoutWriterWithoutBlocking() throws Exception {
        Path path = temp.resolve("f.fifo");
        try (Fifo fifo = Fifo.create(path)) {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                fifo.openForReading();
                ByteBuffer buffer = ByteBuffer.allocateDirect(16);
                if (Platform.isLinux()) {
                    assertEquals(0, fifo.poll(10), "Linux: no event before the first writer");
                }
                assertEquals(0, fifo.read(buffer), "no writer: read returns 0 at once");
                try (FileOutputStream writer = new FileOutputStream(path.toFile())) { // does not block: reader open
                    assertEquals(-1, fifo.read(buffer), "writer, no data: EAGAIN");
                    writer.write(new byte[] { 1, 2, 3 });
                    assertTrue((fifo.poll(1000) & LibC.POLLIN) != 0);
                    buffer.position(5); // read honours the position
                    assertEquals(3, fifo.read(buffer));
                    assertEquals(8, buffer.position());
                    assertEquals(2, buffer.get(6));
                }
                assertTrue((fifo.poll(1000) & LibC.POLLHUP) != 0, "all writers closed: POLLHUP");
                assertEquals(0, fifo.read(buffer));
            });
        }
        assertTrue(Files.notExists(path), "close unlinks");
    }

    @Test
    void openFlagsMatchTheKernel() throws Exception {
        assumeTrue(Platform.isLinux() && Files.isDirectory(Path.of("/proc/self/fdinfo")));
        Path path = temp.resolve("g.fifo");
        assertEquals(0, LibC.mkfifo(path.toString(), 0600));
        int fd = LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        assertTrue(fd >= 0);
        try {
            String flagsLine = Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd)).stream()
                    .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
            int flags = Integer.parseInt(flagsLine.substring("flags:".length()).trim(), 8);
            assertEquals(LibC.O_NONBLOCK, flags & LibC.O_NONBLOCK, flagsLine);
            assertEquals(LibC.O_CLOEXEC, flags & LibC.O_CLOEXEC, flagsLine);
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void decodesErrno() throws Exception {
        Path path = temp.resolve("h.fifo");
        Fifo.create(path).close();
        assertEquals(0, LibC.mkfifo(path.toString(), 0600));
        assertEquals(-1, LibC.mkfifo(path.toString(), 0600));
        ErrnoException e = ErrnoException.last("mkfifo " + path);
        assertEquals(LibC.EEXIST, e.errno());
        assertTrue(e.getMessage().endsWith("File exists (errno 17)"), e.getMessage());
    }
}
