package io.attune.worker.core.model.execution;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where an execution is in its life:
 * {@code requested → scheduled → running → succeeded | failed | timed_out | cancelled | abandoned},
 * or {@code requested → unschedulable}, or {@code requested → abandoned} when no worker freed up within the
 * scheduling timeout. A scheduled or running execution whose worker was lost goes back to
 * {@code requested} for another attempt. One exception to this table, decided by {@link Execution#finish}: should the
 * run of a requeued attempt end after all while no later attempt has started, its outcome ends the execution from
 * {@code requested} or {@code scheduled}.
 */
public enum ExecutionStatus {
  REQUESTED, SCHEDULED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, ABANDONED, UNSCHEDULABLE;

  // every row read and every change asks for these: worked out once, not on each call
  private static final Map<String, ExecutionStatus> BY_WIRE_NAME = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(ExecutionStatus::wireName, Function.identity()));
  private static final Map<ExecutionStatus, Set<ExecutionStatus>> SUCCESSORS = new EnumMap<>(ExecutionStatus.class);

  static {
    for (ExecutionStatus status : values()) {
      SUCCESSORS.put(status, Collections.unmodifiableSet(status.successorsByRule()));
    }
  }

  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** The lowercase name used in JSON and the database. */
  public String wireName() {
    return wireName;
  }

  /** Reads a wire name such as {@code timed_out}. */
  public static Optional<ExecutionStatus> parse(String text) {
    return text == null ? Optional.empty()
        : Optional.ofNullable(BY_WIRE_NAME.get(text.trim().toLowerCase(Locale.ROOT)));
  }

  /** True once nothing can change the execution any more. */
  public boolean isTerminal() {
    return successors().isEmpty();
  }

  /** True for the statuses in which a worker holds the execution and a slot of its capacity. */
  public boolean holdsWorker() {
    return this == SCHEDULED || this == RUNNING;
  }

  /** The statuses this one may move to (a set that cannot be changed). */
  public Set<ExecutionStatus> successors() {
    return SUCCESSORS.get(this);
  }

  private EnumSet<ExecutionStatus> successorsByRule() {
    return switch (this) {
      case REQUESTED -> EnumSet.of(SCHEDULED, UNSCHEDULABLE, CANCELLED, ABANDONED);
      case SCHEDULED -> EnumSet.of(RUNNING, REQUESTED, FAILED, CANCELLED, ABANDONED);
      case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, ABANDONED, REQUESTED);
      case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, ABANDONED, UNSCHEDULABLE -> EnumSet.noneOf(ExecutionStatus.class);
    };
  }

  public boolean canMoveTo(ExecutionStatus next) {
    return successors().contains(next);
  }
}
