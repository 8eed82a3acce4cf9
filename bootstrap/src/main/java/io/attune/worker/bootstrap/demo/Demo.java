package io.attune.worker.bootstrap.demo;

import io.attune.worker.adapter.local.runner.ActionUser;
import io.attune.worker.adapter.local.runner.UserAccess;
import io.attune.worker.bootstrap.config.AttuneConfig;
import io.attune.worker.bootstrap.wiring.LocalMachine;
import io.attune.worker.core.adapter.out.memory.InMemoryExecutionStore;
import io.attune.worker.core.embed.EmbeddedWorker;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.action.ParameterCap;
import io.attune.worker.core.model.action.ParameterSpec;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.port.in.SubmitExecutionUseCase.Submission;
import io.attune.worker.core.port.out.ActionCatalog;
import io.attune.worker.core.port.out.ExecutionEvents;
import io.attune.worker.core.service.SubmitExecutionService;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system in one JVM on the embedded default: four workers mirroring the container variants, each
 * declared through its own environment ({@link DemoWorkers}), an in-memory registry and dispatcher, real child
 * processes, every sample action submitted, and a table of where each execution ran and why ({@link Following}).
 */
public final class Demo {

  private final AttuneConfig config;
  private final Map<String, String> environment;
  private final PrintWriter out;
  private final int repeat;
  private final Duration deadline;
  private final Clock clock;
  private final Narration narration;

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
    this.narration = new Narration(out, clock);
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
    EmbeddedSystem system = EmbeddedSystem.create();
    List<EmbeddedWorker> workers = new DemoWorkers(config, environment, clock, narration).start(system, catalog);
    try {
      Map<ExecutionId, DemoRow> rows = submitEverySampleAction(catalog, system.store());
      new Following(clock, deadline, narration).untilEverythingEnded(rows, system);
      List<DemoRow> result = List.copyOf(rows.values());
      DemoTable.print(out, result, narration.elapsed());
      return result;
    } finally {
      workers.forEach(EmbeddedWorker::close);
    }
  }

  /** Submits every sample action {@code repeat} times; returns a row per accepted execution, in submission order. */
  private Map<ExecutionId, DemoRow> submitEverySampleAction(ActionCatalog catalog, InMemoryExecutionStore store) {
    SubmitExecutionService submissions = new SubmitExecutionService(catalog, store, clock, ParameterCap.NONE,
        ExecutionEvents.NONE);
    Map<ExecutionId, DemoRow> rows = new LinkedHashMap<>();
    for (int round = 0; round < repeat; round++) {
      for (ActionDefinition action : catalog.all()) {
        Submission submission = submissions.submit(action.ref().toString(), sampleParameters(action));
        if (submission instanceof Submission.Accepted accepted) {
          ExecutionId id = accepted.execution().id();
          rows.put(id, new DemoRow(id, action.ref().toString(), action.runtime().value()));
        } else {
          narration.say("could not submit " + action.ref() + ": " + submission);
        }
      }
    }
    narration.say("submitted " + rows.size() + " executions of " + catalog.all().size() + " actions; the four "
        + "workers hold " + DemoWorkers.capacity() + " at once");
    out.println();
    return rows;
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
}
