package io.attune.worker.core.model.placement.rule;

import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.worker.Reservations;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerLoad;
import java.util.Objects;

/**
 * A kind of resource that an execution reserves on its worker for as long as it holds it, and of which a worker offers
 * a bounded amount: execution slots, GPUs, ... Each kind knows how much an action asks of it, how much a worker offers
 * (which may depend on what is asked, as GPU memory does), the counter its reservations are kept under, and how to
 * explain a worker that has too little free. A kind may be counted per key of the action (the key is then part of its
 * counter's name, {@link Reservations#counter}): "running executions of pack P" is one counter per pack.
 *
 * <p>A new limit on what a worker takes at once is a new kind in {@link ResourceKinds#STANDARD}: the state rules,
 * the fleet index, the in-memory stores and the PostgreSQL statements all take and give back every kind of that
 * list; PostgreSQL needs only what the worker offers spelled in SQL ({@code CoreRulesInSql}).
 */
public abstract class ResourceKind {

  /** What a worker that sets no limit on a kind offers of it. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  private final String name;
  private final boolean keyed;
  private final RejectionCode code;

  /**
   * A kind named {@code name} (the counter's name: lowercase letters and {@code _}), counted per key of the action
   * or not, rejecting with {@code code}.
   */
  protected ResourceKind(String name, boolean keyed, RejectionCode code) {
    this.name = Objects.requireNonNull(name, "name");
    this.keyed = keyed;
    this.code = Objects.requireNonNull(code, "code");
    if (!name.matches("[a-z][a-z_]*")) {
      throw new IllegalArgumentException("a resource kind's name is lowercase letters and '_', was " + name);
    }
    if (!code.isTransient()) {
      throw new IllegalArgumentException("a worker short of " + name + " may free some: its code must be transient");
    }
  }

  /** The name of the kind, and of its counter. */
  public final String name() {
    return name;
  }

  /** True when it is counted per key of the action ({@link #key}), false when there is one counter. */
  public final boolean keyed() {
    return keyed;
  }

  /** The code of a worker that has too little of it free now. */
  public final RejectionCode code() {
    return code;
  }

  /** The key an action's reservation is counted under for a {@link #keyed} kind; null for a kind that is not. */
  public abstract String key(ActionRequirements action);

  /** How much an execution of the action reserves; 0 when none. */
  public abstract int demand(ActionRequirements action);

  /**
   * How much the worker offers of it to the action, free or reserved; {@link #UNLIMITED} when the worker sets no
   * limit.
   */
  public abstract int offered(Capabilities capabilities, ActionRequirements action);

  /** Why a worker with too little free does not take the action now, in the words of {@code explain}. */
  abstract String detail(ActionRequirements action, Worker worker);

  /** The name of the counter the action's reservation is kept under. */
  public final String counter(ActionRequirements action) {
    return Reservations.counter(name, key(action));
  }

  /** What the worker's executions reserve of the counter the action would reserve. */
  public final int reserved(ActionRequirements action, WorkerLoad worker) {
    return worker.reserved(name, key(action));
  }

  /** True when the action asks nothing of it, or what it asks is free on the worker now. */
  public final boolean fits(ActionRequirements action, WorkerLoad worker) {
    int demand = demand(action);
    if (demand == 0) {
      return true;
    }
    // the offer first: a worker without a limit is judged without reading what it holds (for a kind counted per
    // key, the scheduler would read that from the worker object rather than from its fleet group's arrays)
    int offered = offered(worker.capabilities(), action);
    return offered == UNLIMITED || reserved(action, worker) + demand <= offered;
  }

  /**
   * True when the worker offers too little of it for the action even with nothing reserved: waiting does not help,
   * which a capability rule reports (GPUs: {@code gpu}); the state rule of the kind then admits.
   */
  final boolean neverFits(ActionRequirements action, Capabilities capabilities) {
    return demand(action) > offered(capabilities, action);
  }

  @Override
  public String toString() {
    return name;
  }
}
