package io.attune.worker.bootstrap.demo;

import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.bootstrap.output.Table;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.adapter.out.memory.InMemoryWorkerRegistry;
import io.attune.worker.core.adapter.out.memory.InProcessDispatcher;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.capability.ResolvedCapabilities;
import io.attune.worker.core.model.execution.Execution;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.placement.PlacementPolicy;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.placement.Rejection;
import io.attune.worker.core.model.placement.WorkerAssessment;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerRegistration;
import io.attune.worker.core.model.worker.WorkerType;
import io.attune.worker.core.port.in.ScheduleExecutionUseCase.Scheduling;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.CapabilityConfiguration;
import io.attune.worker.core.port.out.Environment;
import io.attune.worker.core.port.out.RuntimeProbe;
import io.attune.worker.core.service.ResolveCapabilitiesService;
import io.attune.worker.core.service.RunExecutionService;
import io.attune.worker.core.service.ReconcileExecutionsService;
import io.attune.worker.core.service.ScheduleExecutionService;
import io.attune.worker.core.service.SubmitExecutionService;
import io.attune.worker.core.service.WorkerLifecycleService;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
  private final Clock clock = Clock.systemUTC();
  private final Instant start = clock.instant();

  public Demo(AttuneConfig config, Map<String, String> environment, PrintWriter out, int repeat, Duration deadline) {
    this.config = config;
    this.environment = Map.copyOf(environment);
    this.out = out;
    this.repeat = repeat;
    this.deadline = deadline;
  }

  /** Runs the demo to the end; returns the rows of the final table. */
  public List<Row> run() throws InterruptedException {
    ActionCatalog catalog = LocalMachine.catalog(config);
    InMemoryWorkerRegistry registry = new InMemoryWorkerRegistry();
    InMemoryExecutionStore store = new InMemoryExecutionStore(registry);
    InProcessDispatcher dispatcher = new InProcessDispatcher();
    WorkerLifecycleService lifecycle = new WorkerLifecycleService(registry, clock);
    LinkedBlockingQueue<ExecutionId> finished = new LinkedBlockingQueue<>();

    RuntimeProbe machine = probedOnce(config);
    ProbeReport found = machine.probe(KnownRuntime.PROBED);
    say("probed this machine: " + (found.interpreters().isEmpty() ? "no interpreters"
        : found.interpreters().stream().map(i -> i.runtime() + " " + i.version()).collect(Collectors.joining(", "))));

    List<ExecutorService> pools = new ArrayList<>();
    Map<String, Worker> workers = new LinkedHashMap<>();
    for (Variant variant : VARIANTS) {
      List<RuntimeName> declared = variant.runtimes().stream()
          .filter(r -> KnownRuntime.forName(r).isEmpty() || found.interpreterFor(r).isPresent()).toList();
      List<RuntimeName> missing = variant.runtimes().stream().filter(r -> !declared.contains(r)).toList();
      Map<String, String> workerEnv = new HashMap<>(environment);
      workerEnv.put(Environment.WORKER_RUNTIMES, declared.stream().map(RuntimeName::value)
          .collect(Collectors.joining(",")));
      workerEnv.put(Environment.WORKER_MAX_CONCURRENT_EXECUTIONS, Integer.toString(variant.slots()));
      workerEnv.put(Environment.WORKER_LABELS, variant.labels());
      ResolvedCapabilities resolved = new ResolveCapabilitiesService(Environment.of(workerEnv),
          CapabilityConfiguration.none(), machine).resolve();
      Worker worker = lifecycle.register(new WorkerRegistration(variant.name(), WorkerType.LOCAL, "localhost",
          resolved.capabilities(), Duration.ofSeconds(30)));
      RunExecutionService executions = new RunExecutionService(store, catalog,
          LocalMachine.runner(config, resolved, workerEnv), clock, variant.slots());
      ExecutorService pool = Executors.newFixedThreadPool(variant.slots(), daemon(variant.name()));
      pools.add(pool);
      dispatcher.subscribe(worker.id(), execution -> pool.execute(() -> {
        try {
          executions.run(execution);
        } finally {
          finished.add(execution.id());
        }
      }));
      workers.put(worker.name(), worker);
      say(String.format(Locale.ROOT, "%-14s %s=%s, %d slots, %s%s", worker.name(), Environment.WORKER_RUNTIMES,
          workerEnv.get(Environment.WORKER_RUNTIMES), variant.slots(), variant.labels(), missing.isEmpty() ? ""
              : "  (" + missing.stream().map(RuntimeName::value).collect(Collectors.joining(", "))
              + " not found on this machine, not declared)"));
    }

    SubmitExecutionService submissions = new SubmitExecutionService(catalog, store, clock);
    ScheduleExecutionService scheduling = new ScheduleExecutionService(registry, store, dispatcher,
        PlacementPolicy.standard(),
        clock);
    // the scheduler's own sweep: waiting executions placed oldest first, abandoned only past the demo's deadline
    ReconcileExecutionsService reconciliation = new ReconcileExecutionsService(store, scheduling, clock,
        ReconcileExecutionsService.Settings.of(deadline, 1));
    Map<ExecutionId, Row> rows = new LinkedHashMap<>();
    List<ExecutionId> pending = new ArrayList<>();
    for (int round = 0; round < repeat; round++) {
      for (ActionDefinition action : catalog.all()) {
        Submission submission = submissions.submit(action.ref().toString(), sampleParameters(action));
        if (submission instanceof Submission.Accepted accepted) {
          ExecutionId id = accepted.execution().id();
          rows.put(id, new Row(id, action.ref().toString(), action.runtime().value()));
          pending.add(id);
        } else {
          say("could not submit " + action.ref() + ": " + submission);
        }
      }
    }
    int capacity = VARIANTS.stream().mapToInt(Variant::slots).sum();
    say("submitted " + rows.size() + " executions of " + catalog.all().size() + " actions; the four workers hold "
        + capacity + " at once");
    out.println();

    Instant giveUp = start.plus(deadline);
    while (!pending.isEmpty() || rows.values().stream().anyMatch(r -> r.dispatched && !r.ended)) {
      for (Scheduling result : reconciliation.sweep().placements()) {
        ExecutionId id = result.id();
        Row row = rows.get(id);
        if (result instanceof Scheduling.Dispatched dispatched) {
          pending.remove(id);
          row.dispatched(dispatched.worker().name(), whyNotOthers(dispatched.decision().explain(),
              dispatched.worker().name()), elapsed());
          say(String.format(Locale.ROOT, "#%-3s %-22s -> %-13s %s%s", id, row.action, row.worker,
              row.waits > 0 ? "after waiting " + seconds(row.waited()) + " " : "", "| " + row.whyNotOthers));
        } else if (result instanceof Scheduling.Waiting) {
          if (row.waits++ == 0) {
            row.waitingSince = elapsed();
            say(String.format(Locale.ROOT, "#%-3s %-22s waits: every worker that can run it is at capacity",
                id, row.action));
          }
        } else if (result instanceof Scheduling.Unschedulable unschedulable) {
          pending.remove(id);
          row.ended("unschedulable", null, whyNotOthers(unschedulable.explanation(), null));
          say(String.format(Locale.ROOT, "#%-3s %-22s unschedulable | %s", id, row.action, row.whyNotOthers));
        } else {
          pending.remove(id);
          row.ended("skipped", null, ((Scheduling.Skipped) result).reason());
        }
      }
      ExecutionId done = finished.poll(200, TimeUnit.MILLISECONDS);
      while (done != null) {
        Row row = rows.get(done);
        Execution execution = store.find(done).orElseThrow();
        Duration ran = execution.startedAt().flatMap(s -> execution.endedAt().map(e -> Duration.between(s, e)))
            .orElse(Duration.ZERO);
        row.ended(execution.status().wireName(), ran, row.whyNotOthers);
        String message = execution.result().map(r -> r.message()).filter(m -> !m.isBlank()).orElse("");
        say(String.format(Locale.ROOT, "#%-3s %-22s %s on %s in %s%s", done, row.action, row.status, row.worker,
            seconds(ran), message.isEmpty() ? "" : " (" + message + ")"));
        done = finished.poll();
      }
      if (clock.instant().isAfter(giveUp)) {
        say("deadline of " + seconds(deadline) + " reached: cancelling what is left");
        for (Row row : rows.values()) {
          if (!row.ended) {
            store.cancel(row.id, "the demo's deadline passed", clock.instant());
            row.ended("cancelled", null, row.whyNotOthers);
          }
        }
        break;
      }
    }
    pools.forEach(ExecutorService::shutdownNow);
    List<Row> result = List.copyOf(rows.values());
    printTable(result);
    return result;
  }

  private void printTable(List<Row> rows) {
    out.println();
    Table table = new Table("ID", "ACTION", "RUNTIME", "WORKER", "STATUS", "WAITED", "DURATION", "WHY NOT THE OTHERS");
    for (Row row : rows) {
      table.row("#" + row.id, row.action, row.runtime, row.worker == null ? "-" : row.worker, row.status,
          row.waits == 0 ? "-" : seconds(row.waited()), row.duration == null ? "-" : seconds(row.duration),
          row.whyNotOthers);
    }
    out.print(table);
    Map<String, Long> byStatus = rows.stream().collect(Collectors.groupingBy(r -> r.status, LinkedHashMap::new,
        Collectors.counting()));
    out.println();
    out.println(rows.size() + " executions in " + seconds(elapsed()) + ": " + byStatus.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
    out.flush();
  }

  /** A compact reason per other worker: its rejection codes, or why an eligible one was not chosen. */
  static String whyNotOthers(PlacementReport report, String chosen) {
    List<String> reasons = new ArrayList<>();
    for (WorkerAssessment a : report.workers()) {
      if (a.worker().name().equals(chosen)) {
        continue;
      }
      reasons.add(a.worker().name() + ": " + (a.eligible() ? "eligible, busier or later in turn"
          : a.rejections().stream().map(Demo::shortReason).collect(Collectors.joining(", "))));
    }
    return reasons.isEmpty() ? "-" : String.join("; ", reasons);
  }

  private static String shortReason(Rejection rejection) {
    return switch (rejection.code()) {
      case AT_CAPACITY -> "at_capacity (" + rejection.detail().replace("running ", "") + ")";
      default -> rejection.code().wireName();
    };
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

  /** Probes the machine once; every worker's resolution reuses the answer. */
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
    out.println(String.format(Locale.ROOT, "[%6s] ", seconds(elapsed())) + line);
    out.flush();
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2fs", d.toMillis() / 1000.0);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One execution of the demo, as the final table shows it. */
  public static final class Row {
    final ExecutionId id;
    final String action;
    final String runtime;
    String worker;
    String status = "requested";
    String whyNotOthers = "-";
    int waits;
    Duration waitingSince;
    Duration dispatchedAt;
    Duration duration;
    boolean dispatched;
    boolean ended;

    Row(ExecutionId id, String action, String runtime) {
      this.id = id;
      this.action = action;
      this.runtime = runtime;
    }

    void dispatched(String onWorker, String why, Duration at) {
      this.worker = onWorker;
      this.whyNotOthers = why;
      this.dispatchedAt = at;
      this.dispatched = true;
      this.status = "scheduled";
    }

    void ended(String finalStatus, Duration ran, String why) {
      this.status = finalStatus;
      this.duration = ran;
      this.whyNotOthers = why;
      this.ended = true;
    }

    Duration waited() {
      return waitingSince == null || dispatchedAt == null ? Duration.ZERO : dispatchedAt.minus(waitingSince);
    }

    public String action() {
      return action;
    }

    public String worker() {
      return worker;
    }

    public String status() {
      return status;
    }

    public int waits() {
      return waits;
    }

    public String whyNotOthers() {
      return whyNotOthers;
    }
  }
}
