package io.attune.worker.core.docs;

import io.attune.worker.core.adapter.out.memory.InMemoryActionCatalog;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.action.ParameterType;
import io.attune.worker.core.model.action.ref.ActionRef;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.model.placement.ActionRequirements;
import io.attune.worker.core.model.placement.Affinity;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.model.runtime.VersionConstraint;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ActionRunner;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.port.out.RuntimeProbe;
import io.attune.worker.core.service.ResolveCapabilitiesService;
import io.attune.worker.core.service.RunExecutionService;
import io.attune.worker.core.service.RecoverLostExecutionsService;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.service.SubmitExecutionService;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The worker core embedded in one JVM: in-memory adapters, one worker, one action submitted and run. */
public final class EmbeddingExample {

  private EmbeddingExample() {
  }

  /** Submits {@code demo.greet} for Ada, places it, runs it and returns the execution as it ended. */
  public static Execution greetAda() throws InterruptedException {
    Clock clock = Clock.systemUTC();

    // 1. The out-ports. Here all in memory; a service with a database implements the same interfaces.
    InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry(); // a WorkerRegistry and a WorkerDirectory
    InMemoryExecutionStore executions = new InMemoryExecutionStore(registry);
    InProcessDispatcher dispatcher = new InProcessDispatcher();
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

    // 3. The use cases, wired with new.
    WorkerLifecycleService lifecycle = new WorkerLifecycleService(registry, clock);
    SubmitExecutionService submissions = new SubmitExecutionService(catalog, executions, clock);
    ScheduleExecutionService scheduler = new ScheduleExecutionService(registry, executions, dispatcher,
        PlacementPolicy.standard(), clock);
    ReconcileExecutionsService sweeper = new ReconcileExecutionsService(executions, scheduler, clock,
        ReconcileExecutionsService.Settings.of(Duration.ofMinutes(5),
            RecoverLostExecutionsService.DEFAULT_MAX_ATTEMPTS));
    int slots = resolved.capabilities().maxConcurrentExecutions();
    RunExecutionService worker = new RunExecutionService(executions, catalog, runner, clock, slots);

    // 4. The worker registers and runs what is dispatched to it on threads of its own.
    Worker registered = lifecycle.register(new WorkerRegistration("embedded-1", WorkerType.LOCAL, "localhost",
        resolved.capabilities(), WorkerRegistration.DEFAULT_HEARTBEAT_INTERVAL));
    ExecutorService pool = Executors.newFixedThreadPool(slots);
    dispatcher.subscribe(registered.id(), execution -> pool.execute(() -> worker.run(execution)));

    // 5. Submit, then sweep: place everything waiting (a real scheduler sweeps every second or so).
    Submission submission = submissions.submit("demo.greet", Map.of("name", "Ada"));
    if (!(submission instanceof Submission.Accepted accepted)) {
      throw new IllegalStateException("refused: " + submission);
    }
    sweeper.sweep();
    pool.shutdown();
    if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the action did not end within 30 s");
    }
    return executions.find(accepted.execution().id()).orElseThrow();
  }
}
