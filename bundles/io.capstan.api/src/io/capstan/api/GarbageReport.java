package io.capstan.api;

/**
 * What {@link ChunkStore#collectGarbage} did.
 *
 * @param objects      objects in the store when the collection began
 * @param referenced   of those, objects a manifest or a recording take's chunk log refers to
 * @param deleted      objects deleted (referenced by nothing)
 * @param bytesFreed   bytes those objects held
 * @param keptYoung    unreferenced objects kept because they are younger than the grace period
 *                     or were stored while the collection ran (a take sealing them may not have
 *                     recorded the reference yet)
 * @param temporaries  temporary files of dead processes removed
 */
public record GarbageReport(long objects, long referenced, long deleted, long bytesFreed, long keptYoung,
        long temporaries) {
}
