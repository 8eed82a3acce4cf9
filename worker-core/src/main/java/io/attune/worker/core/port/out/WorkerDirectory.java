package io.attune.worker.core.port.out;

/**
 * Reads workers for scheduling and for people: the whole directory, as an adapter implements it. Each use case takes
 * only the part it needs: the {@link WorkerLookup} for people and counts, the scheduler's {@link WorkerCandidates},
 * and {@link WorkerLiveness}.
 */
public interface WorkerDirectory extends WorkerLookup, WorkerCandidates, WorkerLiveness {
}
