package io.capstan.transport.fifo.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The private directory holding the FIFOs: {@code $XDG_RUNTIME_DIR/capstan}, or without
 * XDG_RUNTIME_DIR (or when it is not an absolute path to a directory) {@code capstan-<user>}
 * under {@code java.io.tmpdir}. Created 0700; an existing one is used only when it is a real
 * directory (not a symbolic link) owned by this user without group or other permissions.
 *
 * <p>FIFOs are named {@code pcm-<pid>-<n>.fifo}: short (macOS PATH_MAX is 1024), and the pid
 * tells which process owns them, so stale ones of a crashed run can be removed safely.
 *
 * <p>Threading: thread-safe.
 */
public final class RuntimeDirectory {

    private static final Pattern FIFO_NAME = Pattern.compile("pcm-(\\d+)-(\\d+)\\.fifo");
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path path;
    private final int uid;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicLong counter = new AtomicLong();

    RuntimeDirectory(Path path, int uid) {
        this.path = path;
        this.uid = uid;
    }

    /**
     * @param xdgRuntimeDir value of XDG_RUNTIME_DIR, or null
     * @param tmpDir        java.io.tmpdir
     * @param userName      user.name, used in the fallback directory's name
     * @param uid           effective uid that must own the directory
     */
    static RuntimeDirectory resolve(String xdgRuntimeDir, Path tmpDir, String userName, int uid) {
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isEmpty()) {
            Path base = Path.of(xdgRuntimeDir);
            if (base.isAbsolute() && Files.isDirectory(base)) {
                return new RuntimeDirectory(base.resolve("capstan"), uid);
            }
        }
        String user = userName == null || userName.isEmpty() ? "uid" + Integer.toUnsignedString(uid) : userName;
        return new RuntimeDirectory(tmpDir.resolve("capstan-" + user.replaceAll("[^A-Za-z0-9._-]", "_")), uid);
    }

    public Path path() {
        return path;
    }

    /**
     * @param withUid whether to ask the C library for the effective uid (needed by
     *                {@link #prepare()}); without it the uid is taken from /proc/self when
     *                readable, else -1, and only the path may be used
     * @return the runtime directory of the user running this process
     */
    public static RuntimeDirectory currentUser(boolean withUid) {
        int uid;
        if (withUid) {
            io.capstan.transport.fifo.internal.jna.LibC.load();
            uid = io.capstan.transport.fifo.internal.jna.LibC.geteuid();
        } else {
            try {
                uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                uid = -1;
            }
        }
        return resolve(System.getenv("XDG_RUNTIME_DIR"), Path.of(System.getProperty("java.io.tmpdir")),
                System.getProperty("user.name"), uid);
    }

    /** mkfifo(path, 0600), errors decoded. */
    public static void mkfifo(Path fifo) throws IOException {
        Fifo.create(fifo); // nothing is open yet: the object holds no resource
    }

    /**
     * Creates the directory (0700) or checks the existing one.
     *
     * @throws IOException with a message saying what is wrong and what to do
     */
    public void prepare() throws IOException {
        try {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PRIVATE));
        } catch (FileAlreadyExistsException e) {
            // checked below
        }
        BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!basic.isDirectory()) {
            throw new IOException("runtime directory " + path + " is not a directory" + (basic.isSymbolicLink()
                    ? " but a symbolic link" : "") + ": remove it, or set XDG_RUNTIME_DIR to a private directory");
        }
        int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != uid) {
            throw new IOException("runtime directory " + path + " belongs to uid " + Integer.toUnsignedString(owner)
                    + ", not to this user (uid " + Integer.toUnsignedString(uid)
                    + "): refusing to use it; remove it, or set XDG_RUNTIME_DIR to a private directory");
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new IOException("runtime directory " + path + " has permissions "
                    + PosixFilePermissions.toString(permissions)
                    + ", open to other users: refusing to use it; make it private with: chmod 700 " + path);
        }
    }

    /** Creates a new FIFO {@code pcm-<pid>-<n>.fifo} (0600), skipping names that exist. */
    Fifo createFifo() throws IOException {
        prepare();
        for (int attempt = 0;; attempt++) {
            Path fifo = path.resolve("pcm-" + pid + "-" + counter.incrementAndGet() + ".fifo");
            try {
                return Fifo.create(fifo);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 1000) {
                    throw e;
                }
            }
        }
    }

    /**
     * Removes FIFOs {@code pcm-<pid>-*.fifo} whose process is no longer alive (left by a crash).
     * FIFOs of live processes and every other file are left alone.
     *
     * @return how many were removed
     */
    int removeStaleFifos() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path, "pcm-*.fifo")) {
            for (Path entry : entries) {
                Matcher m = FIFO_NAME.matcher(entry.getFileName().toString());
                if (!m.matches() || isAlive(m.group(1))) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (attributes.isOther() && Files.deleteIfExists(entry)) {
                    removed++;
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return removed;
    }

    private static boolean isAlive(String pidText) {
        long owner;
        try {
            owner = Long.parseLong(pidText);
        } catch (NumberFormatException e) {
            return true; // not a pid we understand: leave the file alone
        }
        return ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
    }
}
