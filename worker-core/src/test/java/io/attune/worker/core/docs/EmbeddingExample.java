package io.attune.worker.core.docs;

import io.attune.worker.core.adapter.out.memory.InMemoryActionCatalog;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.embed.EmbeddedScheduler;
import io.attune.worker.core.embed.EmbeddedWorker;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.action.ParameterType;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.requirement.ActionRequirements;
import io.attune.worker.core.model.placement.requirement.Affinity;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.RuntimeProbe;
import io.attune.worker.core.service.ResolveCapabilitiesService;
import io.attune.worker.core.service.SubmitExecutionService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The worker core embedded in one JVM: in-memory adapters, a scheduler and a worker, one action submitted and run. */
public final class EmbeddingExample {

  private EmbeddingExample() {
  }

  /** Submits {@code demo.greet} for Ada, has it placed and run, and returns the execution as it ended. */
  public static Execution greetAda() throws InterruptedException {
    // 1. The out-ports. Here all in memory; a service with a database implements the same interfaces.
    InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry(); // a WorkerRegistry and a WorkerDirectory
    InMemoryExecutionStore executions = new InMemoryExecutionStore(registry);
    InProcessDispatcher dispatcher = new InProcessDispatcher(); // a Dispatcher and each worker's DispatchInbox
    InMemoryActionCatalog catalog = new InMemoryActionCatalog(List.of(new ActionDefinition(
        new ActionRequirements(ActionRef.parse("demo.greet"), RuntimeName.of("python"),
            VersionConstraint.parse(">=3.8"), Map.of(), Map.of(), List.of(), Affinity.none()),
        "greet.py", Duration.ofSeconds(30),
        Map.of("name", new ParameterSpec("name", ParameterType.STRING, true, null)))));
    // How actions really run is yours to decide: a child process, a container, a function call.
    ActionRunner runner = (id, action, parameters) -> new ActionRunner.Outcome(ExecutionStatus.SUCCEEDED,
        new ExecutionResult(Optional.of(0), "Hello, " + parameters.get("name") + "!\n", "",
            Map.of("greeting", "Hello, " + parameters.get("name") + "!"), "exit code 0"));
    // Asked for the runtimes it knows how to find, a probe reports the interpreters present.
    RuntimeProbe probe = runtimes -> new ProbeReport(List.of(new Interpreter(
        RuntimeName.of("python"), "python3", "/usr/bin/python3", Version.parse("3.11.2"))), List.of());

    // 2. What this worker can run: the environment (a map here) wins over a config file and the probe.
    ResolvedCapabilities resolved = new ResolveCapabilitiesService(
        Environment.of(Map.of(Environment.WORKER_RUNTIMES, "shell,python3", Environment.WORKER_LABELS, "zone=east")),
        CapabilityConfiguration.none(), probe).resolve();

    // 3. A scheduler and a worker, each running its loops (sweeps, liveness; heartbeats, drain) on its own threads.
    try (EmbeddedScheduler scheduler = EmbeddedScheduler.builder(registry, registry, executions, dispatcher).start();
        EmbeddedWorker worker = EmbeddedWorker.builder("embedded-1", resolved.capabilities())
            .registry(registry).directory(registry).executions(executions)
            .inbox(dispatcher).actions(catalog, runner).start()) {
      // 4. Submit, and ask for a placement now rather than at the next sweep.
      Submission submission = new SubmitExecutionService(catalog, executions, Clock.systemUTC(), ParameterCap.NONE,
          ExecutionEvents.NONE)
          .submit("demo.greet", Map.of("name", "Ada"));
      if (!(submission instanceof Submission.Accepted accepted)) {
        throw new IllegalStateException("refused: " + submission);
      }
      scheduler.placeSoon();
      return awaitEnd(executions, accepted.execution().id(), Duration.ofSeconds(30));
    }
  }

  private static Execution awaitEnd(ExecutionStore executions, ExecutionId id, Duration patience)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(patience);
    Execution execution = executions.find(id).orElseThrow();
    while (!execution.status().isTerminal() && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
      execution = executions.find(id).orElseThrow();
    }
    return execution;
  }
}
