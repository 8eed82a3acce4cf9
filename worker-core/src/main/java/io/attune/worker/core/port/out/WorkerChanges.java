package io.attune.worker.core.port.out;

import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import java.util.List;

/**
 * What changed among the workers since a position, so that a scheduler can keep its own copy of the fleet in step
 * without reading every worker for every decision. Every change to a worker (registration, heartbeat, status,
 * cordon, reserved capacity) shows up, whichever process made it.
 *
 * <p>A position is opaque: it only ever comes from an earlier {@link Snapshot} or {@link Changes} of the same feed.
 * A worker may be reported again although it did not change; applying an answer twice is harmless.
 */
public interface WorkerChanges {

  /** Every worker, and the position to ask {@link #since} from next. */
  Snapshot snapshot();

  /** The workers inserted or updated and the ids removed after {@code position}, and the position to ask next. */
  Changes since(long position);

  /**
   * Every worker at one point in time.
   *
   * @param workers the workers, in no particular order
   * @param position where to continue with {@link #since}
   */
  record Snapshot(List<Worker> workers, long position) {
    public Snapshot {
      workers = List.copyOf(workers);
    }
  }

  /**
   * The changes after a position.
   *
   * @param changed workers as they are now, inserted or updated after the position
   * @param removed ids of workers removed after the position; ids are never given again
   * @param position where to continue with {@link #since}
   * @param complete false when the feed no longer holds every removal after the asked position (it forgets old ones):
   *     the reader must load a {@link #snapshot} instead
   */
  record Changes(List<Worker> changed, List<WorkerId> removed, long position, boolean complete) {
    public Changes {
      changed = List.copyOf(changed);
      removed = List.copyOf(removed);
    }

    /** The answer of a feed that cannot continue from the asked position. */
    public static Changes incomplete(long position) {
      return new Changes(List.of(), List.of(), position, false);
    }

    /** True when nothing changed. */
    public boolean isEmpty() {
      return changed.isEmpty() && removed.isEmpty();
    }
  }
}
