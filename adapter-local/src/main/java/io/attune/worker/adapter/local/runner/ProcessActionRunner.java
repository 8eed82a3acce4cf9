package io.attune.worker.adapter.local.runner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attune.worker.adapter.local.process.BoundedProcess;
import io.attune.worker.adapter.local.process.BoundedProcess.OutputEnd;
import io.attune.worker.adapter.local.process.DaemonThreads;
import io.attune.worker.adapter.local.process.DurationText;
import io.attune.worker.adapter.local.process.ProcessTree;
import io.attune.worker.core.model.action.ActionDefinition;
import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.execution.ExecutionResult;
import io.attune.worker.core.model.execution.ExecutionStatus;
import io.attune.worker.core.port.out.ActionRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * Runs an action's entry point as a child process, as {@link ActionCommand} prepares it (the runtime's interpreter,
 * a clean environment, the action's folder), with the parameters as one JSON object on standard input.
 *
 * <p>Standard output and error are read concurrently and each capped. A JSON object on standard output (the whole
 * of it, or its last line) becomes the structured result. At the action's timeout the whole process tree gets
 * SIGTERM, and SIGKILL after a grace period; so does a run whose thread is interrupted (the worker stops it),
 * which then ends as cancelled. Anything that keeps the action from starting is a failed outcome
 * naming the file or interpreter, never an exception; so is an entry point whose real path (links followed) lies
 * outside its pack's real folder.
 *
 * <p>Each action is owned whole by its execution: it runs under the action launcher {@code attune-launch}, which
 * collects every process the action leaves behind (daemons included), kills them when the action ends, is
 * stopped or the worker dies, and switches to the {@link ActionUser} when the worker runs as root. Without a
 * launcher (a build without gcc, another system) the runner ends process trees from Java, which misses processes
 * that left the tree; {@link #warnings()} then says so.
 */
public final class ProcessActionRunner implements ActionRunner {

  /** How long a timed-out process tree gets between SIGTERM and SIGKILL. */
  public static final Duration DEFAULT_TERMINATION_GRACE = Duration.ofSeconds(5);

  /**
   * Once the process has ended, how long to wait for the rest of its output. Only a leftover process that still
   * holds the pipe open can make this wait run out; then what arrived so far is kept.
   */
  private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

  private final RunnerSettings settings;
  private final Duration terminationGrace;
  private final ActionCommand commands;
  private final ObjectMapper json = new ObjectMapper();
  private final ExecutorService streams = DaemonThreads.pool("attune-action-io-");
  private final Optional<ActionLauncher> launcher;
  /**
   * SIGTERM to the whole tree, SIGKILL to what is left after the grace period: through the launcher, which sees
   * every process of the tree, or else from here, which sees only those still linked to the action by parentage.
   */
  private final ProcessTree.Ending treeEnding;
  /** The user the launcher switches to, when actions do not run as the worker's own user. */
  private final Optional<String> runAs;
  private final List<String> warnings;

  /** A runner that gives timed-out actions {@link #DEFAULT_TERMINATION_GRACE} between SIGTERM and SIGKILL. */
  public ProcessActionRunner(RunnerSettings settings) {
    this(settings, DEFAULT_TERMINATION_GRACE);
  }

  /**
   * A runner with its own grace period between SIGTERM and SIGKILL of a timed-out action. It uses the action
   * launcher of this jar (or the one the worker environment's {@code ATTUNE_ACTION_LAUNCHER} names), extracted on
   * first use.
   */
  public ProcessActionRunner(RunnerSettings settings, Duration terminationGrace) {
    this(settings, terminationGrace, ActionLauncher.find(settings.workerEnvironment()), WorkerAccount.current());
  }

  ProcessActionRunner(RunnerSettings settings, Duration terminationGrace, ActionLauncher.Lookup lookup,
      WorkerAccount worker) {
    this.settings = Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(terminationGrace, "terminationGrace");
    if (terminationGrace.isNegative()) {
      throw new IllegalArgumentException("termination grace must not be negative, was " + terminationGrace);
    }
    this.terminationGrace = terminationGrace;
    this.launcher = lookup.launcher();
    this.treeEnding = launcher.isPresent() ? ActionLauncher::terminate : ProcessTree::terminate;
    ActionUser.Choice user = settings.actionUser().choose(worker.uid(), worker.name());
    List<String> notes = new ArrayList<>();
    lookup.warning().ifPresent(why -> notes.add(launcher.isPresent() ? why : why + "; actions run without a "
        + "launcher: a process that daemonises (setsid, double fork) can outlive its action, and a worker killed "
        + "with SIGKILL leaves its actions running"));
    user.warning().ifPresent(notes::add);
    if (launcher.isEmpty() && user.switchTo().isPresent()) {
      notes.add("actions run as " + worker.name() + " (uid " + worker.uid() + "), not as " + user.switchTo().get()
          + ": only the action launcher switches users");
    }
    this.runAs = launcher.isPresent() ? user.switchTo() : Optional.empty();
    this.commands = new ActionCommand(settings, runAs.isPresent());
    this.warnings = List.copyOf(notes);
  }

  /**
   * What an operator should know about how this runner starts actions, to log once: there is no action launcher,
   * or actions run as root, or a configured action user cannot be honoured.
   */
  public List<String> warnings() {
    return warnings;
  }

  /** The user actions run as, when that is not the worker's own user. */
  public Optional<String> actionUser() {
    return runAs;
  }

  /** Whether actions run under the action launcher, which owns each action's whole process tree. */
  public boolean launcherInUse() {
    return launcher.isPresent();
  }

  @Override
  public Outcome run(ExecutionId execution, ActionDefinition action, Map<String, Object> parameters) {
    Objects.requireNonNull(execution, "execution");
    Objects.requireNonNull(action, "action");
    ActionCommand.Prepared prepared = commands.prepare(execution, action);
    if (prepared instanceof ActionCommand.Refused refused) {
      return failed(refused.why());
    }
    ActionCommand.Ready ready = (ActionCommand.Ready) prepared;
    byte[] input;
    try {
      input = json.writeValueAsBytes(parameters == null ? Map.of() : parameters);
    } catch (JsonProcessingException notJson) {
      return failed("parameters of " + action.ref() + " cannot be written as JSON: " + notJson.getOriginalMessage());
    }

    List<String> command = launcher.map(l -> l.wrap(ready.command(), terminationGrace, runAs,
        ready.workingDirectory())).orElse(ready.command());
    BoundedProcess child;
    try {
      child = BoundedProcess.startSeparate(command, ready.environment(), ready.workingDirectory(),
          settings.outputCapBytes(), streams);
    } catch (IOException cannotStart) {
      return failed("could not start " + command.get(0) + " for " + action.ref() + ": "
          + cannotStart.getMessage());
    }
    return supervise(child, action, input);
  }

  private Outcome supervise(BoundedProcess child, ActionDefinition action, byte[] input) {
    child.feedInput(input);
    boolean ended;
    try {
      ended = child.awaitExit(action.timeout());
    } catch (InterruptedException interrupted) {
      return stopped(child);
    }

    if (!ended) {
      boolean forced;
      try {
        forced = child.endTree(treeEnding, terminationGrace);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        forced = true;
      }
      String leftover = awaitOutput(child);
      String message = "timed out after " + DurationText.of(action.timeout()) + " (timeout of " + action.ref()
          + "): process tree terminated" + forcedNote(forced) + leftover;
      return new Outcome(ExecutionStatus.TIMED_OUT, new ExecutionResult(Optional.empty(), child.output().text(),
          child.errors().text(), null, message));
    }

    int exit = child.exitValue();
    String leftover = awaitOutput(child);
    Optional<String> notStarted = launcher.flatMap(l -> ActionLauncher.startFailure(exit, child.errors().kept()));
    if (notStarted.isPresent()) {
      return failed("could not start " + action.ref() + ": " + notStarted.get());
    }
    Map<String, Object> result = child.output().truncated() ? null : StructuredOutput.of(child.output().kept());
    ExecutionStatus status = exit == 0 ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED;
    return new Outcome(status, new ExecutionResult(Optional.of(exit), child.output().text(), child.errors().text(),
        result, "exit status " + exit + leftover));
  }

  /**
   * The worker stops the action (an operator's cancel, or the end of a drain): the whole process tree gets SIGTERM,
   * and SIGKILL after the grace period; what it printed until then is kept. The interrupt is kept for the caller.
   */
  private Outcome stopped(BoundedProcess child) {
    boolean forced;
    try {
      forced = child.endTree(treeEnding, terminationGrace);
    } catch (InterruptedException again) {
      forced = true; // interrupted once more while waiting: terminate has killed the tree by force
    }
    String leftover = awaitOutput(child);
    Thread.currentThread().interrupt();
    return new Outcome(ExecutionStatus.CANCELLED, new ExecutionResult(Optional.empty(), child.output().text(),
        child.errors().text(), null, "cancelled: the worker stopped the action; process tree terminated"
            + forcedNote(forced) + leftover));
  }

  private String forcedNote(boolean forced) {
    return forced ? ", killed after a grace of " + DurationText.of(terminationGrace) : "";
  }

  /** Waits for both streams to reach their end; returns a note for the message when something held them open. */
  private static String awaitOutput(BoundedProcess child) {
    OutputEnd end = child.awaitOutput(OUTPUT_GRACE);
    return switch (end.kind()) {
      case COMPLETE -> "";
      case HELD_OPEN -> " (output was still held open by a leftover process; kept what arrived)";
      case INTERRUPTED -> " (interrupted while reading the output)";
      case UNREADABLE -> " (output could not be read: " + end.cause() + ")";
    };
  }

  private static Outcome failed(String message) {
    return new Outcome(ExecutionStatus.FAILED, ExecutionResult.message(message));
  }
}
