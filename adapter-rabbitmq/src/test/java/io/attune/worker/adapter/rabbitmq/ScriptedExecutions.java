package io.attune.worker.adapter.rabbitmq;

import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.Transition;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.in.RunExecutionUseCase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake of the worker's use case: records every dispatch it is handed and answers as its script says, so the
 * consumer's acknowledgements can be watched on the real broker.
 */
final class ScriptedExecutions implements RunExecutionUseCase {

  /** One call of {@link #handleDispatch}. */
  record Call(ExecutionId execution, int attempt, WorkerId self) {
  }

  /** What the use case does with a call: returns a handling, or throws to have the message delivered again. */
  @FunctionalInterface
  interface Script {
    Handling answer(Call call) throws Exception;
  }

  private final Script script;
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  private ScriptedExecutions(Script script) {
    this.script = script;
  }

  /** Ignores every dispatch after running the step, as the core does with a stale message. */
  static ScriptedExecutions ignoringAfter(Step step) {
    return new ScriptedExecutions(call -> {
      step.run(call);
      return new Handling.Ignored("scripted");
    });
  }

  /** Answers every dispatch with the script. */
  static ScriptedExecutions answering(Script script) {
    return new ScriptedExecutions(script);
  }

  /** A step before the answer. */
  @FunctionalInterface
  interface Step {
    void run(Call call) throws Exception;
  }

  List<Call> calls() {
    return calls;
  }

  List<ExecutionId> executions() {
    return calls.stream().map(Call::execution).toList();
  }

  @Override
  public Handling handleDispatch(ExecutionId execution, int attempt, WorkerId self) {
    Call call = new Call(execution, attempt, self);
    calls.add(call);
    try {
      return script.answer(call);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Transition run(Execution dispatched) {
    throw new UnsupportedOperationException("the consumer hands over dispatch messages only");
  }
}
