package io.attune.worker.adapter.postgres;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionRequest;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Executions on the {@code execution} table, with what they reserve of their worker recorded on each
 * ({@code execution.reserves}) and counted on the worker: the slots in {@code worker.running}, every other resource
 * kind in {@code worker.reserved}.
 *
 * <p>Placing an execution is one statement that locks the execution row, takes what it reserves of the worker
 * only while every kind has room and the execution is still requested, and moves the execution ({@link ExecutionAssignments}); every
 * other change is a compare-and-set on (id, attempt, status) that gives all of it back in the same statement when
 * the execution stops holding its worker ({@link ExecutionChanges}). Rows are always locked execution first, worker
 * second, so that these statements cannot deadlock with each other. Where a statement must check a core rule again
 * on the rows it locks, it takes the rule from {@link CoreRulesInSql}.
 *
 * <p>Concurrent calls of the execution path (find, assign, start, finish on a copy) share one statement when they
 * overlap ({@link GroupCommit}, {@link ExecutionBatches}); a call alone runs the statement for one execution. The
 * reads of several executions come from {@link ExecutionQueries}.
 */
final class PostgresExecutionStore extends ExecutionQueries {

  /** The most concurrent calls one grouped statement takes. */
  static final int GROUP_LIMIT = 64;
  /**
   * How many grouped statements of one kind may run at once: with one, the sweep's concurrent placements at 10,000
   * workers went from 1,860 to 1,380 a second (one statement at a time uses one of the database's cores).
   */
  static final int GROUP_LANES = 2;

  private final ExecutionRecords records;
  private final ExecutionAssignments assignments;
  private final ExecutionStarts startsDispatched;
  private final ExecutionChanges changes;
  // concurrent calls of the execution path's statements, grouped (see GroupCommit, ExecutionBatches)
  private final GroupCommit<ExecutionId, Optional<Execution>> finds;
  private final GroupCommit<ExecutionBatches.Placement, Assignment> assigns;
  private final GroupCommit<ExecutionBatches.Start, Optional<Transition>> starts;
  private final GroupCommit<ExecutionBatches.Change, Optional<Execution>> finishes;

  PostgresExecutionStore(Database db, Rows rows) {
    this(new ExecutionStatements(db, rows, new ExecutionBatches(db)));
  }

  private PostgresExecutionStore(ExecutionStatements statements) {
    super(statements);
    this.records = new ExecutionRecords(statements);
    this.assignments = new ExecutionAssignments(statements);
    this.startsDispatched = new ExecutionStarts(statements,
        s -> start(s.execution(), s.attempt(), s.worker(), s.at()));
    this.changes = new ExecutionChanges(statements, records);
    this.finds = new GroupCommit<>(records::find, this::findTogether, Function.identity(), GROUP_LIMIT, GROUP_LANES);
    this.assigns = new GroupCommit<>(assignments::alone, this::assignTogether, ExecutionBatches.Placement::execution,
        GROUP_LIMIT, GROUP_LANES);
    this.starts = new GroupCommit<>(startsDispatched::alone, this::startTogether, ExecutionBatches.Start::execution,
        GROUP_LIMIT, GROUP_LANES);
    this.finishes = new GroupCommit<>(changes::alone, this::finishTogether, c -> c.before().id(), GROUP_LIMIT,
        GROUP_LANES);
  }

  @Override
  public Execution create(ExecutionRequest request, Instant now) {
    return records.create(request, now);
  }

  @Override
  public Optional<Execution> find(ExecutionId id) {
    return finds.call(id);
  }

  List<Optional<Execution>> findTogether(List<ExecutionId> ids) {
    return records.findTogether(ids);
  }

  /** One statement, in autocommit, that reserves a slot of the worker as it places the execution on it. */
  @Override
  public Assignment assign(ExecutionId id, WorkerId worker, Instant now) {
    return assigns.call(new ExecutionBatches.Placement(id, worker, Rows.stored(now)));
  }

  /** Concurrent placements in one statement, each answered as the statement for one would have. */
  List<Assignment> assignTogether(List<ExecutionBatches.Placement> placements) {
    return assignments.together(placements);
  }

  @Override
  public Transition start(ExecutionId id, int attempt, WorkerId worker, Instant now) {
    return changes.change("start execution " + id, id, e -> e.start(attempt, worker, Rows.stored(now)));
  }

  /**
   * One statement that starts the attempt when its status allows it and answers with the row as it is afterwards.
   * The execution's own rules then judge the row as it is: they give the reason of a refusal, and should they allow
   * what the statement did not (a race), the change is made the general way.
   */
  @Override
  public Optional<Transition> startDispatched(ExecutionId id, int attempt, WorkerId worker, Instant now) {
    return starts.call(new ExecutionBatches.Start(id, attempt, worker, Rows.stored(now)));
  }

  /** Concurrent starts in one statement, each answered as the statement for one would have. */
  List<Optional<Transition>> startTogether(List<ExecutionBatches.Start> starts) {
    return startsDispatched.together(starts);
  }

  @Override
  public Transition finish(ExecutionId id, int attempt, ExecutionStatus outcome, ExecutionResult result,
      Instant now) {
    return changes.change("finish execution " + id, id, e -> e.finish(attempt, outcome, result, Rows.stored(now)));
  }

  /**
   * Decided on the copy without reading the row; the write may share a statement with the ends of the worker's
   * other slots ({@link #finishes}). When the row moved on since the copy, or the copy's rules refuse, the change is
   * decided again on the stored row.
   */
  @Override
  public Transition finish(Execution held, ExecutionStatus outcome, ExecutionResult result, Instant now) {
    int attempt = held.attempt();
    Instant at = Rows.stored(now);
    Transition decided = held.finish(attempt, outcome, result, at);
    if (decided.applied()) {
      Optional<Execution> stored = finishes.call(new ExecutionBatches.Change(held, decided.execution()));
      if (stored.isPresent()) {
        return new Transition.Applied(stored.get());
      }
    }
    return finish(held.id(), attempt, outcome, result, now);
  }

  List<Optional<Execution>> finishTogether(List<ExecutionBatches.Change> written) {
    return changes.together(written);
  }

  @Override
  public Transition markUnschedulable(ExecutionId id, ExecutionResult explanation, Instant now) {
    return changes.change("mark execution " + id + " unschedulable", id,
        e -> e.markUnschedulable(explanation, Rows.stored(now)));
  }

  @Override
  public Transition recover(ExecutionId id, int attempt, boolean requeue, String reason, Instant now) {
    return changes.change("recover execution " + id, id, recovery(attempt, requeue, reason, now));
  }

  @Override
  public Transition requeueUndelivered(ExecutionId id, int attempt, String reason, Instant now) {
    return changes.change("requeue execution " + id + " whose dispatch was not delivered", id,
        e -> e.requeueUndelivered(attempt, reason, Rows.stored(now)));
  }

  @Override
  public Transition recoverFromLostWorker(ExecutionId id, int attempt, boolean requeue, String reason, Instant now) {
    return changes.change("recover execution " + id + " from its lost worker", id,
        recovery(attempt, requeue, reason, now), ExecutionChanges.Guard.HOLDER_LOST, Rows.stored(now),
        "its worker is no longer lost");
  }

  /** The attempt is lost: queue the execution again, or abandon it when no attempt remains. */
  private static Function<Execution, Transition> recovery(int attempt, boolean requeue, String reason, Instant now) {
    Instant at = Rows.stored(now);
    return e -> requeue ? e.requeue(attempt, reason, at) : e.abandon(attempt, reason, at);
  }

  @Override
  public Transition requestCancel(ExecutionId id, String reason, Instant now) {
    return changes.change("cancel execution " + id + " on request", id,
        e -> e.requestCancel(reason, Rows.stored(now)));
  }
}
