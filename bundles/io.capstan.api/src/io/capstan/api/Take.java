package io.capstan.api;

import java.time.Instant;
import java.util.List;

/**
 * One capture of one device, as its manifest records it ({@code takes/<id>.json}).
 *
 * @param id          take id, unique in the store, safe as a file name
 * @param deviceId    {@link Device#id()} recorded from
 * @param description device description at the start
 * @param backend     backend that captured it
 * @param format      format of the stored PCM
 * @param state       current state
 * @param startedAt   wall-clock start
 * @param endedAt     wall-clock end, null while recording
 * @param frames      frames stored (sum of the chunks' frames once final)
 * @param chunks      sealed chunks in order
 * @param reason      why the take ended (stopped, frame limit reached, source ended, the failure), or null
 * @param statistics  what the capture counted (callbacks, overruns, xruns, callback times), stored
 *                    when the take finished; null while recording, for recovered takes and for
 *                    manifests written before statistics were kept
 * @param note        free text a person gave the take ({@link ChunkStore#note}), or null
 */
public record Take(String id, String deviceId, String description, String backend, AudioFormat format,
        TakeState state, Instant startedAt, Instant endedAt, long frames, List<ChunkRef> chunks, String reason,
        TakeStatistics statistics, String note) {

    public Take {
        chunks = List.copyOf(chunks);
    }

    /** A take without a note. */
    public Take(String id, String deviceId, String description, String backend, AudioFormat format, TakeState state,
            Instant startedAt, Instant endedAt, long frames, List<ChunkRef> chunks, String reason,
            TakeStatistics statistics) {
        this(id, deviceId, description, backend, format, state, startedAt, endedAt, frames, chunks, reason, statistics,
                null);
    }

    /** @return this take with {@code note} (null: none) */
    public Take withNote(String note) {
        return new Take(id, deviceId, description, backend, format, state, startedAt, endedAt, frames, chunks, reason,
                statistics, note);
    }

    /** A take without statistics (recording, recovered, or from an older manifest). */
    public Take(String id, String deviceId, String description, String backend, AudioFormat format, TakeState state,
            Instant startedAt, Instant endedAt, long frames, List<ChunkRef> chunks, String reason) {
        this(id, deviceId, description, backend, format, state, startedAt, endedAt, frames, chunks, reason, null);
    }

    /** @return PCM bytes stored */
    public long bytes() {
        return frames * format.bytesPerFrame();
    }

    /** @return duration of the stored audio in seconds */
    public double seconds() {
        return (double) frames / format.sampleRate();
    }
}
