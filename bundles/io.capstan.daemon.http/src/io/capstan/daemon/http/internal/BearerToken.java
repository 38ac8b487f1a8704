package io.capstan.daemon.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/** {@code http.token}: 32 random bytes in hex, created 0600 at first start and kept. */
final class BearerToken {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private BearerToken() {
    }

    static String loadOrCreate(Path file) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(file, HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (!p.equals(OWNER_ONLY)) {
                throw new IOException(file + " has permissions " + PosixFilePermissions.toString(p)
                        + "; it must be rw------- (chmod 600 " + file + "), or remove it for a new token");
            }
        }
        String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (token.length() < 32) {
            throw new IOException(file + " holds no usable token; remove it and restart the daemon for a new one");
        }
        return token;
    }

    /** Constant-time comparison. */
    static boolean matches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }
}
