package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Instant;

class TakeIdsTest {

    @Test
    void encodesStartTimeInUtc() {
        String id = new TakeIds().next(Instant.parse("2026-11-21T14:25:01.123Z"));
        assertTrue(id.startsWith("20261121-142501-123-"), id);
        assertTrue(TakeIds.isValid(id), id);
        assertEquals(Instant.parse("2026-11-21T14:25:01.123Z"), TakeIds.startOf(id).orElseThrow());
    }

    @Test
    void sortsByStartTime() {
        TakeIds ids = new TakeIds();
        String a = ids.next(Instant.parse("2026-11-21T14:25:01.999Z"));
        String b = ids.next(Instant.parse("2026-11-21T14:25:02.000Z"));
        assertTrue(a.compareTo(b) < 0, a + " before " + b);
    }

    @Test
    void rejectsUnsafeNames() {
        assertFalse(TakeIds.isValid("../20261121-142501-123-a3f9"));
        assertFalse(TakeIds.isValid("20261121-142501-123-A3F9/x"));
        assertFalse(TakeIds.isValid(null));
    }
}
