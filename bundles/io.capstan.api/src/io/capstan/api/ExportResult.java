package io.capstan.api;

import java.nio.file.Path;

/**
 * A take exported as a WAV file.
 *
 * @param file   the written file
 * @param frames frames in its data chunk
 * @param bytes  size of the file in bytes
 * @param rf64   true when written as RF64 (EBU Tech 3306) because the data exceeded RIFF's 4 GiB
 */
public record ExportResult(Path file, long frames, long bytes, boolean rf64) {
}
