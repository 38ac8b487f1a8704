package io.capstan.api;

import java.util.List;

/**
 * The result of re-hashing stored chunks.
 *
 * @param takes    takes checked
 * @param chunks   chunks checked
 * @param problems every chunk whose content does not match its address, or that is missing
 */
public record VerifyReport(int takes, int chunks, List<Problem> problems) {

    public VerifyReport {
        problems = List.copyOf(problems);
    }

    /** @return true when every chunk matched */
    public boolean ok() {
        return problems.isEmpty();
    }

    /**
     * One bad chunk.
     *
     * @param takeId   take that lists it
     * @param index    chunk index in that take
     * @param expected address in the manifest
     * @param actual   hash of what is stored, or "missing"
     */
    public record Problem(String takeId, int index, String expected, String actual) {
    }
}
