package io.capstan.storage.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Take ids: UTC start time to the millisecond and 16 random bits, e.g.
 * {@code 20261121-142501-123-a3f9}. They sort by start time as text and are safe as file names.
 */
final class TakeIds {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);
    private static final Pattern ID = Pattern.compile("\\d{8}-\\d{6}-\\d{3}-[0-9a-f]{4}");

    private final SecureRandom random = new SecureRandom();

    /** @return a new id for a take started at {@code start} */
    String next(Instant start) {
        byte[] r = new byte[2];
        random.nextBytes(r);
        return TIME.format(start) + "-" + HexFormat.of().formatHex(r);
    }

    /** @return true when {@code id} has the shape of a take id (and so is a safe file name) */
    static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** @return the start time encoded in a take id, to the millisecond, if it is one */
    static Optional<Instant> startOf(String id) {
        if (!isValid(id)) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(id.substring(0, 19), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"))
                    .toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
