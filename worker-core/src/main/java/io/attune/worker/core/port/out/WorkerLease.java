package io.attune.worker.core.port.out;

/**
 * Whether this worker process still holds its worker's name: a run may start only while it does. A process that was
 * paused longer than its heartbeats allow may have been judged gone and its name taken over by another process
 * consuming the same queue; before it starts anything after such a gap it must find out.
 */
@FunctionalInterface
public interface WorkerLease {

  /** A lease always held: for an embedder that runs one process per worker name itself. */
  WorkerLease ALWAYS = () -> true;

  /** True when this process may start a run now (it confirms its hold first when it has not lately). */
  boolean held();
}
