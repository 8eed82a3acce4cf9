package io.attune.worker.core.model.worker;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The rule of a worker name's owner: one live process holds a name. A process may take a name that nobody holds,
 * that it holds itself, or whose holder is gone: shut down (inactive), silent for three heartbeat intervals, or,
 * when the holder ran in this very process table (same boot, same PID namespace), no longer running. Anything else
 * is held by a live process, and taking it over would run every action twice.
 */
public final class NameOwnership {

  private NameOwnership() {
  }

  /**
   * Judges who may have the name.
   *
   * @param holder the registry's entry of the name, if any
   * @param me the process asking
   * @param running whether a process id runs here, started at the given instant (the machine's process table)
   */
  public static Claim judge(Optional<NameHolder> holder, ProcessInstance me, Instant now,
      BiPredicate<Long, Instant> running) {
    Objects.requireNonNull(me, "me");
    if (holder.isEmpty()) {
      return new Claim.Free(Optional.empty(), "no worker holds the name");
    }
    NameHolder current = holder.get();
    if (current.instance().filter(i -> i.id().equals(me.id())).isPresent()) {
      return new Claim.Free(holder, "this process holds the name already");
    }
    if (current.status() == WorkerStatus.INACTIVE) {
      return new Claim.Free(holder, "its holder shut down or was marked lost");
    }
    if (!current.isFresh(now)) {
      return new Claim.Free(holder, "its holder's last heartbeat is " + current.heartbeatAgeSeconds(now)
          + " s old, more than " + Worker.STALE_AFTER_MISSED_HEARTBEATS + " intervals of "
          + current.heartbeatInterval().toSeconds() + " s");
    }
    Optional<ProcessInstance> local = current.instance().filter(me::sameProcessTableAs);
    if (local.isPresent() && !running.test(local.get().pid(), local.get().startedAt())) {
      return new Claim.Free(holder, "its holder, " + local.get().describe() + ", ran on this machine and no longer "
          + "runs");
    }
    return new Claim.Held(current, "worker name '" + current.name() + "' is held by a live process: "
        + ProcessInstance.describe(current.instance()) + ", last heartbeat " + current.heartbeatAgeSeconds(now)
        + " s ago, status " + current.status().wireName());
  }

  /** Whether the name may be taken. */
  public sealed interface Claim {

    /**
     * The name may be taken.
     *
     * @param from the entry to take over, if there is one; what it holds belonged to a process that is gone
     */
    record Free(Optional<NameHolder> from, String why) implements Claim {
    }

    /** A live process holds the name. */
    record Held(NameHolder holder, String why) implements Claim {
    }
  }
}
