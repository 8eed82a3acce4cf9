package io.attune.worker.bootstrap.docs;

import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.core.adapter.out.memory.InMemoryActionCatalog;
import io.attune.worker.core.embed.EmbeddedWorker;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.action.ParameterType;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Capabilities;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ActionRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A JVM service joins a running fleet as a worker whose one action, {@code billing.invoice}, is Java code. */
public final class JoinAFleetExample {

  /** The action this service runs, with the runtime it advertises for it and the parameter it takes. */
  public static final ActionCatalog ACTIONS = new InMemoryActionCatalog(List.of(new ActionDefinition(
      ActionRequirements.of(ActionRef.parse("billing.invoice"), RuntimeName.of("jvm")), "in-process",
      Duration.ofMinutes(1), Map.of("customer", new ParameterSpec("customer", ParameterType.STRING, true, null)))));

  private JoinAFleetExample() {
  }

  /** Serves until the process is stopped: {@code java ... URL USER PASSWORD AMQP_URL}. */
  public static void main(String[] args) throws InterruptedException {
    try (PostgresAdapter postgres = PostgresAdapter.connect(PostgresSettings.of(args[0], args[1], args[2]));
        RabbitAdapter rabbit = RabbitAdapter.connect(new RabbitSettings(args[3], "billing-1"), postgres.clock());
        EmbeddedWorker worker = join(postgres, rabbit)) {
      Thread.currentThread().join();
    }
  }

  /** Registers {@code billing-1} with the fleet and takes its dispatches until the worker is closed. */
  public static EmbeddedWorker join(PostgresAdapter postgres, RabbitAdapter rabbit) {
    ActionRunner invoices = (id, action, parameters) -> new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED,
        ExecutionResult.message("invoiced " + parameters.get("customer")));
    return EmbeddedWorker.builder("billing-1",
            Capabilities.builder().runtime(RuntimeName.of("jvm")).maxConcurrentExecutions(4).build())
        .registry(postgres.registry()).directory(postgres.directory()).executions(postgres.executions())
        .clock(postgres.clock()).inbox(rabbit.inbox()).events(rabbit.events())
        .actions(ACTIONS, invoices)
        .start();
  }
}
