package io.attune.worker.core.service;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionObserver;
import java.util.Objects;

/**
 * The one way a use case makes known that an execution ended: counted by the observer and announced by the events,
 * once each, by the use case whose change ended it. A change that was refused, or that left the execution waiting,
 * ended nothing.
 */
final class Ends {

  static final Ends NONE = new Ends(ExecutionObserver.NONE, ExecutionEvents.NONE);

  private final ExecutionObserver observer;
  private final ExecutionEvents events;

  Ends(ExecutionObserver observer, ExecutionEvents events) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.events = Objects.requireNonNull(events, "events");
  }

  /** Makes the end known when {@code change} applied and ended the execution; returns the change. */
  Transition ifEnded(Transition change) {
    if (change.applied() && change.execution().status().isTerminal()) {
      ended(change.execution());
    }
    return change;
  }

  /** Makes the end of {@code ended}, a terminal execution this process recorded, known. */
  void ended(Execution ended) {
    observer.executionEnded(ended);
    try {
      events.ended(ended);
    } catch (RuntimeException notAnnounced) {
      // the store holds the end: listeners that missed the announcement read it there
      observer.resultNotPublished(ended.id(), String.valueOf(notAnnounced.getMessage()));
    }
  }
}
