package io.attune.worker.bootstrap.demo;

import io.attune.worker.adapter.cli.runner.ActionUser;
import io.attune.worker.adapter.cli.runner.UserAccess;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.embed.EmbeddedWorker;
import io.attune.worker.core.embed.WorkerSettings;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.port.out.RuntimeProbe;
import io.attune.worker.core.service.ResolveCapabilitiesService;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.service.SubmitExecutionService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The whole system in one JVM on the embedded default: four workers mirroring the container variants, each
 * declared through its own environment, an in-memory registry and dispatcher, real child processes, and a table of
 * where each execution ran and why.
 */
public final class Demo {

  /** A worker of the demo, mirroring one container variant. */
  record Variant(String name, List<RuntimeName> runtimes, int slots, String labels) {
  }

  static final List<Variant> VARIANTS = List.of(
      new Variant("worker-shell", List.of(RuntimeName.SHELL), 2, "zone=west"),
      new Variant("worker-python", List.of(RuntimeName.SHELL, RuntimeName.PYTHON), 2, "zone=east"),
      new Variant("worker-node", List.of(RuntimeName.SHELL, RuntimeName.NODE), 2, "zone=west"),
      new Variant("worker-full", List.of(RuntimeName.SHELL, RuntimeName.PYTHON, RuntimeName.NODE,
          RuntimeName.NATIVE), 3, "zone=east"));

  private final AttuneConfig config;
  private final Map<String, String> environment;
  private final PrintWriter out;
  private final int repeat;
  private final Duration deadline;
  private final Clock clock;
  private final Instant start;

  /**
   * @param repeat how many times every sample action is submitted
   * @param deadline when what has not ended is cancelled, counted from now
   * @param clock the command's clock: the workers, the scheduler and the progress lines all read it
   */
  public Demo(AttuneConfig config, Map<String, String> environment, PrintWriter out, int repeat, Duration deadline,
      Clock clock) {
    this.environment = actionUserWhoCanReadThePacks(environment, config.packsDirectory());
    this.config = config.withEnvironment(this.environment);
    this.out = out;
    this.repeat = repeat;
    this.deadline = deadline;
    this.clock = clock;
    this.start = clock.instant();
  }

  /**
   * Run as root, the demo's actions run as nobody, like a root worker's, as long as nobody can read the sample packs.
   * In a checkout that nobody may enter (one under {@code /root}) they run as root instead, with the worker's warning
   * saying so: the demo holds no credentials, and it should run wherever it was checked out.
   * {@code ATTUNE_ACTION_USER} decides when it is set.
   */
  private static Map<String, String> actionUserWhoCanReadThePacks(Map<String, String> environment, Path packs) {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (environment.containsKey(LocalMachine.ACTION_USER) || !root || UserAccess.of(ActionUser.UNPRIVILEGED)
        .map(nobody -> nobody.canReadFolder(packs)).orElse(true)) {
      return Map.copyOf(environment);
    }
    Map<String, String> withUser = new HashMap<>(environment);
    withUser.put(LocalMachine.ACTION_USER, "root");
    return Map.copyOf(withUser);
  }

  /** Runs the demo to the end; returns the rows of the final table. */
  public List<DemoRow> run() throws InterruptedException {
    ActionCatalog catalog = LocalMachine.catalog(config);
    Embedded system = Embedded.create();
    List<EmbeddedWorker> workers = startWorkers(system, catalog, probeTheMachineOnce());
    try {
      Map<ExecutionId, DemoRow> rows = submitEverySampleAction(catalog, system.store());
      followUntilEverythingEnded(rows, system, sweep(system));
      List<DemoRow> result = List.copyOf(rows.values());
      DemoTable.print(out, result, elapsed());
      return result;
    } finally {
      workers.forEach(EmbeddedWorker::close);
    }
  }

  /** The in-memory system the demo runs on, and the ids of the executions that ended, as the workers announce them. */
  private record Embedded(InMemoryWorkerRegistry registry, InMemoryExecutionStore store,
      InProcessDispatcher dispatcher, LinkedBlockingQueue<ExecutionId> finished) {

    /** The workers' announcements: each end a worker records puts its execution in {@link #finished}. */
    ExecutionEvents ends() {
      return new ExecutionEvents() {
        @Override
        public void requested(Execution requested) {
        }

        @Override
        public void ended(Execution ended) {
          finished.add(ended.id());
        }
      };
    }

    static Embedded create() {
      InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
      return new Embedded(registry, new InMemoryExecutionStore(registry), new InProcessDispatcher(),
          new LinkedBlockingQueue<>());
    }
  }

  /** Probes the machine once and says what it found; every worker's resolution reuses the answer. */
  private RuntimeProbe probeTheMachineOnce() {
    RuntimeProbe machine = probedOnce(config);
    ProbeReport found = machine.probe(KnownRuntime.PROBED);
    say("probed this machine: " + (found.interpreters().isEmpty() ? "no interpreters"
        : found.interpreters().stream().map(i -> i.runtime() + " " + i.version()).collect(Collectors.joining(", "))));
    return machine;
  }

  /** Starts an embedded worker per variant, as a service embedding the core would; returns them, to close them. */
  private List<EmbeddedWorker> startWorkers(Embedded system, ActionCatalog catalog, RuntimeProbe machine) {
    ProbeReport found = machine.probe(KnownRuntime.PROBED);
    List<EmbeddedWorker> workers = new ArrayList<>();
    for (Variant variant : VARIANTS) {
      workers.add(startWorker(variant, declaredRuntimes(variant, found), system, catalog, machine));
    }
    return workers;
  }

  /** The variant's runtimes that this machine has (a custom one counts as present): what its worker declares. */
  private static List<RuntimeName> declaredRuntimes(Variant variant, ProbeReport found) {
    return variant.runtimes().stream()
        .filter(r -> KnownRuntime.forName(r).isEmpty() || found.interpreterFor(r).isPresent()).toList();
  }

  private EmbeddedWorker startWorker(Variant variant, List<RuntimeName> declared, Embedded system,
      ActionCatalog catalog, RuntimeProbe machine) {
    Map<String, String> workerEnv = workerEnvironment(variant, declared);
    ResolvedCapabilities resolved = new ResolveCapabilitiesService(Environment.of(workerEnv),
        CapabilityConfiguration.none(), machine).resolve();
    // closed once everything ended (or was cancelled at the deadline): nothing is left to wait for
    EmbeddedWorker embedded = EmbeddedWorker.builder(variant.name(), resolved.capabilities())
        .registry(system.registry()).directory(system.registry()).executions(system.store())
        .inbox(system.dispatcher()).actions(catalog, LocalMachine.runner(config, resolved, workerEnv))
        .clock(clock).events(system.ends()).settings(WorkerSettings.DEFAULTS.withDrainGrace(Duration.ZERO))
        .start();
    Worker worker = embedded.worker();
    List<RuntimeName> missing = variant.runtimes().stream().filter(r -> !declared.contains(r)).toList();
    say(String.format(Locale.ROOT, "%-14s %s=%s, %d slots, %s%s", worker.name(), Environment.WORKER_RUNTIMES,
        workerEnv.get(Environment.WORKER_RUNTIMES), variant.slots(), variant.labels(), missing.isEmpty() ? ""
            : "  (" + missing.stream().map(RuntimeName::value).collect(Collectors.joining(", "))
            + " not found on this machine, not declared)"));
    return embedded;
  }

  /** The demo's environment plus what a container of this variant would be given. */
  private Map<String, String> workerEnvironment(Variant variant, List<RuntimeName> declared) {
    Map<String, String> workerEnv = new HashMap<>(environment);
    workerEnv.put(Environment.WORKER_RUNTIMES, declared.stream().map(RuntimeName::value)
        .collect(Collectors.joining(",")));
    workerEnv.put(Environment.WORKER_MAX_CONCURRENT_EXECUTIONS, Integer.toString(variant.slots()));
    workerEnv.put(Environment.WORKER_LABELS, variant.labels());
    return workerEnv;
  }

  /** Submits every sample action {@code repeat} times; returns a row per accepted execution, in submission order. */
  private Map<ExecutionId, DemoRow> submitEverySampleAction(ActionCatalog catalog, InMemoryExecutionStore store) {
    SubmitExecutionService submissions = new SubmitExecutionService(catalog, store, clock);
    Map<ExecutionId, DemoRow> rows = new LinkedHashMap<>();
    for (int round = 0; round < repeat; round++) {
      for (ActionDefinition action : catalog.all()) {
        Submission submission = submissions.submit(action.ref().toString(), sampleParameters(action));
        if (submission instanceof Submission.Accepted accepted) {
          ExecutionId id = accepted.execution().id();
          rows.put(id, new DemoRow(id, action.ref().toString(), action.runtime().value()));
        } else {
          say("could not submit " + action.ref() + ": " + submission);
        }
      }
    }
    int capacity = VARIANTS.stream().mapToInt(Variant::slots).sum();
    say("submitted " + rows.size() + " executions of " + catalog.all().size() + " actions; the four workers hold "
        + capacity + " at once");
    out.println();
    return rows;
  }

  /**
   * The scheduler's own sweep from the core: waiting executions placed oldest first, abandoned only past the
   * demo's deadline.
   */
  private ReconcileExecutionsService sweep(Embedded system) {
    ScheduleExecutionService scheduling = new ScheduleExecutionService(system.registry(), system.store(),
        system.dispatcher(), PlacementPolicy.standard(), clock);
    return new ReconcileExecutionsService(system.store(), scheduling, clock,
        ReconcileExecutionsService.Settings.of(deadline, 1));
  }

  /** Sweeps and reports what ended until every execution has ended, or cancels what is left at the deadline. */
  private void followUntilEverythingEnded(Map<ExecutionId, DemoRow> rows, Embedded system,
      ReconcileExecutionsService sweep) throws InterruptedException {
    Instant giveUp = start.plus(deadline);
    while (rows.values().stream().anyMatch(row -> !row.ended)) {
      sweep.sweep().placements().forEach(placement -> record(placement, rows.get(placement.id())));
      recordWhatEnded(rows, system, 200);
      if (clock.instant().isAfter(giveUp)) {
        cancelWhatIsLeft(rows, system.store());
        return;
      }
    }
  }

  /** Updates the row with one placement of the sweep and says what happened to it. */
  private void record(Scheduling placement, DemoRow row) {
    if (placement instanceof Scheduling.Dispatched dispatched) {
      row.dispatched(dispatched.worker().name(), DemoTable.whyNotOthers(dispatched.decision().explain(),
          dispatched.worker().name()), elapsed());
      say(String.format(Locale.ROOT, "#%-3s %-22s -> %-13s %s%s", row.id, row.action, row.worker,
          row.waits > 0 ? "after waiting " + DemoTable.seconds(row.waited()) + " " : "", "| " + row.whyNotOthers));
    } else if (placement instanceof Scheduling.Waiting) {
      if (row.waits++ == 0) {
        row.waitingSince = elapsed();
        say(String.format(Locale.ROOT, "#%-3s %-22s waits: every worker that can run it is at capacity",
            row.id, row.action));
      }
    } else if (placement instanceof Scheduling.Unschedulable unschedulable) {
      row.ended("unschedulable", null, DemoTable.whyNotOthers(unschedulable.explanation(), null));
      say(String.format(Locale.ROOT, "#%-3s %-22s unschedulable | %s", row.id, row.action, row.whyNotOthers));
    } else {
      row.ended("skipped", null, ((Scheduling.Skipped) placement).reason());
    }
  }

  /** Waits up to {@code waitMillis} for an execution to end, then records every one that has. */
  private void recordWhatEnded(Map<ExecutionId, DemoRow> rows, Embedded system, long waitMillis)
      throws InterruptedException {
    ExecutionId done = system.finished().poll(waitMillis, TimeUnit.MILLISECONDS);
    while (done != null) {
      recordEnded(rows.get(done), system.store().find(done).orElseThrow());
      done = system.finished().poll();
    }
  }

  private void recordEnded(DemoRow row, Execution execution) {
    Duration ran = execution.startedAt().flatMap(s -> execution.endedAt().map(e -> Duration.between(s, e)))
        .orElse(Duration.ZERO);
    row.ended(execution.status().wireName(), ran, row.whyNotOthers);
    String message = execution.result().map(r -> r.message()).filter(m -> !m.isBlank()).orElse("");
    say(String.format(Locale.ROOT, "#%-3s %-22s %s on %s in %s%s", row.id, row.action, row.status, row.worker,
        DemoTable.seconds(ran), message.isEmpty() ? "" : " (" + message + ")"));
  }

  private void cancelWhatIsLeft(Map<ExecutionId, DemoRow> rows, InMemoryExecutionStore store) {
    say("deadline of " + DemoTable.seconds(deadline) + " reached: cancelling what is left");
    for (DemoRow row : rows.values()) {
      if (!row.ended) {
        store.cancel(row.id, "the demo's deadline passed", clock.instant());
        row.ended("cancelled", null, row.whyNotOthers);
      }
    }
  }

  /** Values for required parameters without defaults, so every sample action can be submitted. */
  private static Map<String, Object> sampleParameters(ActionDefinition action) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (ParameterSpec spec : action.parameters().values()) {
      if (spec.required() && spec.defaultValue() == null) {
        parameters.put(spec.name(), switch (spec.type()) {
          case STRING -> "demo";
          case INTEGER -> 1L;
          case NUMBER -> 1.5;
          case BOOLEAN -> Boolean.TRUE;
          case OBJECT -> Map.of();
          case ARRAY -> List.of();
        });
      }
    }
    return parameters;
  }

  /** A probe that asks the machine once and answers every later question from that. */
  private static RuntimeProbe probedOnce(AttuneConfig config) {
    RuntimeProbe real = LocalMachine.probe(config);
    ProbeReport all = real.probe(KnownRuntime.PROBED);
    return runtimes -> new ProbeReport(all.interpreters().stream()
        .filter(i -> runtimes.stream().anyMatch(k -> k.name().equals(i.runtime()))).toList(),
        all.warnings().stream().filter(w -> runtimes.stream().anyMatch(k -> k.binaries().stream()
            .anyMatch(b -> w.startsWith(b + ":")))).toList());
  }

  private Duration elapsed() {
    return Duration.between(start, clock.instant());
  }

  private void say(String line) {
    out.println(String.format(Locale.ROOT, "[%6s] ", DemoTable.seconds(elapsed())) + line);
    out.flush();
  }
}
