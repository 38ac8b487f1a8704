package io.capstan.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capstan.api.ChunkRef;
import io.capstan.api.StorageException;
import io.capstan.api.Take;
import io.capstan.api.TakeState;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

class ManifestStoreTest {

    @TempDir
    Path dir;

    private static Take take(String id, Instant start, TakeState state, List<ChunkRef> chunks) {
        long frames = chunks.stream().mapToLong(ChunkRef::frames).sum();
        return new Take(id, "mic", "A mic", "test", Pcm.STEREO_S16, state, start,
                state.isFinal() ? start.plusSeconds(3) : null, frames, chunks, state.isFinal() ? "stopped" : null);
    }

    @Test
    void roundTripsTake() throws Exception {
        ManifestStore store = ManifestStore.open(dir, dir.resolve("staging"));
        Instant start = Instant.parse("2026-11-21T14:25:01.123456789Z");
        ChunkRef c = new ChunkRef(0, "ab".repeat(32), 0, 1000, 4000, start.plusMillis(500));
        Take t = take("20261121-142501-123-a3f9", start, TakeState.COMPLETE, List.of(c));

        store.write(t);
        assertEquals(t, store.read(t.id()).orElseThrow());
    }

    @Test
    void writesManifestAtomically() throws Exception {
        ManifestStore store = ManifestStore.open(dir, dir.resolve("staging"));
        Instant start = Instant.parse("2026-11-21T14:25:01Z");
        String id = "20261121-142501-000-0001";
        store.write(take(id, start, TakeState.RECORDING, List.of()));
        ChunkRef c = new ChunkRef(0, "cd".repeat(32), 0, 10, 40, start);
        store.write(take(id, start, TakeState.COMPLETE, List.of(c)));

        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(id + ".json")), files.toList(), "no temporary file left");
        }
        JsonNode json = new ObjectMapper().readTree(Files.readString(dir.resolve(id + ".json"), StandardCharsets.UTF_8));
        assertEquals("COMPLETE", json.get("state").asText());
        assertEquals(1, json.get("chunks").size());
        assertEquals(48_000, json.get("format").get("sampleRate").asInt());
        assertEquals(ManifestStore.FORMAT_VERSION, json.get("version").asInt());
    }

    @Test
    void listsTakesOldestFirst() throws Exception {
        ManifestStore store = ManifestStore.open(dir, dir.resolve("staging"));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        store.write(take("20260101-000002-000-0002", t0.plusSeconds(2), TakeState.COMPLETE, List.of()));
        store.write(take("20260101-000000-000-0000", t0, TakeState.COMPLETE, List.of()));
        store.write(take("20260101-000001-000-0001", t0.plusSeconds(1), TakeState.RECORDING, List.of()));
        Files.writeString(dir.resolve("notes.json"), "{}"); // not a take id: ignored

        assertEquals(List.of("20260101-000000-000-0000", "20260101-000001-000-0001", "20260101-000002-000-0002"),
                store.list().stream().map(Take::id).toList());
    }

    @Test
    void ignoresUnknownFields() throws Exception {
        ManifestStore store = ManifestStore.open(dir, dir.resolve("staging"));
        Take t = take("20260101-000000-000-0000", Instant.parse("2026-01-01T00:00:00Z"), TakeState.COMPLETE, List.of());
        store.write(t);
        Path file = store.path(t.id());
        Files.writeString(file, Files.readString(file).replaceFirst("\\{", "{\"futureField\": 42,"));

        assertEquals(t, store.read(t.id()).orElseThrow());
    }

    @Test
    void reportsDamagedManifest() throws Exception {
        ManifestStore store = ManifestStore.open(dir, dir.resolve("staging"));
        Files.writeString(dir.resolve("20260101-000000-000-0000.json"), "{\"version\": 1, \"id\": ");

        StorageException e = assertThrows(StorageException.class, () -> store.read("20260101-000000-000-0000"));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void readsNothingForUnknownOrUnsafeIds() throws Exception {
        ManifestStore store = ManifestStore.open(dir, dir.resolve("staging"));
        assertTrue(store.read("20260101-000000-000-0000").isEmpty());
        assertTrue(store.read("../../etc/passwd").isEmpty());
    }
}
