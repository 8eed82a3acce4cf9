package io.attune.worker.adapter.local.probe;

import io.attune.worker.adapter.local.probe.GpuQuestion.GpuAnswer;
import io.attune.worker.adapter.local.process.BinaryLocator;
import io.attune.worker.adapter.local.process.BinaryLocator.Located;
import io.attune.worker.adapter.local.process.ChildEnvironment;
import io.attune.worker.adapter.local.process.DaemonThreads;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.port.out.RuntimeProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * Finds runtime binaries on the {@code PATH} of a given environment and runs {@code <binary> <version arguments>}
 * for all of them at once, so one hanging binary costs one timeout, not a sum.
 *
 * <p>Asked for GPUs too, it runs {@code nvidia-smi} in the same round (see {@link #probeWithGpus}).
 *
 * <p>A binary counts only when it exits 0 within the timeout and its merged standard output and error contain a
 * version. For each runtime the first of its binaries that counts wins; every binary that does not count becomes a
 * warning naming it and why, except fallbacks after a binary that counted.
 */
public final class ProcessRuntimeProbe implements RuntimeProbe {

  /** How long a binary may take to report its version. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private static final int OUTPUT_SHOWN = 60;

  /** What a probed binary sees: enough to run, nothing of the worker's configuration or secrets. */
  private final ChildEnvironment childEnvironment;
  private final BinaryLocator locator;
  private final Duration timeout;
  private final List<Path> reserved;

  /**
   * @param environment the environment whose {@code PATH} is searched and whose {@code PATH}, {@code HOME} and
   *     {@code LANG} the probed binaries get; not the JVM's own unless the caller passes it
   * @param timeout how long each binary may take; they all run at once
   */
  public ProcessRuntimeProbe(Map<String, String> environment, Duration timeout) {
    this(environment, timeout, List.of());
  }

  /**
   * @param environment the environment whose {@code PATH} is searched and whose {@code PATH}, {@code HOME} and
   *     {@code LANG} the probed binaries get; not the JVM's own unless the caller passes it
   * @param timeout how long each binary may take; they all run at once
   * @param reserved folders whose binaries are never offered as action runtimes, however they are reached (links
   *     resolved): the worker's own Java runtime, which a container image carries to run the worker, not actions
   */
  public ProcessRuntimeProbe(Map<String, String> environment, Duration timeout, List<Path> reserved) {
    this(environment, timeout, reserved, path -> true, "");
  }

  /**
   * @param usable which binaries the actions' user can run: a worker that runs its actions as another user offers
   *     only what that user can execute, and looks further on the {@code PATH} past what it cannot (a shim in the
   *     worker's own home folder)
   * @param usableBy who {@code usable} speaks for, for warnings
   */
  public ProcessRuntimeProbe(Map<String, String> environment, Duration timeout, List<Path> reserved,
      Predicate<Path> usable, String usableBy) {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("probe timeout must be positive, was " + timeout);
    }
    this.childEnvironment = ChildEnvironment.passedAsIs(environment);
    // the PATH searched is the one the probed binaries get: the given environment's, never the JVM's
    this.locator = new BinaryLocator(childEnvironment.searchPath(), usable, usableBy);
    this.timeout = timeout;
    this.reserved = reserved.stream().map(ProcessRuntimeProbe::realPath).toList();
  }

  /** The worker's own Java runtime: {@code java.home} of this JVM. */
  public static Path ownJavaRuntime() {
    return Path.of(System.getProperty("java.home"));
  }

  @Override
  public ProbeReport probe(List<KnownRuntime> runtimes) {
    return probe(runtimes, false);
  }

  /** Also runs {@code nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits}, with the others. */
  @Override
  public ProbeReport probeWithGpus(List<KnownRuntime> runtimes) {
    return probe(runtimes, true);
  }

  private ProbeReport probe(List<KnownRuntime> runtimes, boolean gpus) {
    Objects.requireNonNull(runtimes, "runtimes");
    List<Candidate> candidates = new ArrayList<>();
    for (KnownRuntime runtime : runtimes) {
      for (String binary : runtime.binaries()) {
        candidates.add(new Candidate(runtime, binary));
      }
    }
    if (candidates.isEmpty() && !gpus) {
      return ProbeReport.empty();
    }
    List<Answer> answers = new ArrayList<>();
    GpuAnswer gpuAnswer = askAll(candidates, gpus, answers);

    List<Interpreter> interpreters = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int next = 0;
    for (KnownRuntime runtime : runtimes) {
      List<String> failures = new ArrayList<>();
      Interpreter winner = null;
      for (int i = 0; i < runtime.binaries().size(); i++) {
        Answer answer = answers.get(next++);
        if (winner != null) {
          continue; // a fallback after a binary that answered: neither used nor worth a warning
        }
        if (answer.interpreter() != null) {
          winner = answer.interpreter();
        } else {
          failures.add(answer.candidate().binary() + ": " + answer.failure());
        }
      }
      if (winner != null) {
        interpreters.add(winner);
      }
      warnings.addAll(failures);
    }
    if (gpuAnswer.warning() != null) {
      warnings.add(gpuAnswer.warning());
    }
    return new ProbeReport(interpreters, gpuAnswer.gpus(), warnings);
  }

  /**
   * Asks every candidate, and {@code nvidia-smi} when {@code gpus}, at once; the candidates' answers are added to
   * {@code answers} in the candidates' order.
   */
  private GpuAnswer askAll(List<Candidate> candidates, boolean gpus, List<Answer> answers) {
    ExecutorService pool = DaemonThreads.pool("attune-runtime-probe-");
    try {
      ProbeRun runs = new ProbeRun(childEnvironment, timeout, pool);
      List<Future<Answer>> pending = new ArrayList<>();
      for (Candidate candidate : candidates) {
        pending.add(pool.submit(() -> ask(candidate, runs)));
      }
      Future<GpuAnswer> gpuPending = gpus ? pool.submit(() -> GpuQuestion.ask(locator, runs)) : null;
      for (int i = 0; i < candidates.size(); i++) {
        answers.add(await(pending.get(i), candidates.get(i)));
      }
      return gpuPending == null ? GpuQuestion.NONE : GpuQuestion.await(gpuPending);
    } finally {
      // interrupts what is still waiting, which kills its process; idle threads end on their own
      pool.shutdownNow();
    }
  }

  private static Answer await(Future<Answer> pending, Candidate candidate) {
    try {
      return pending.get();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return candidate.failed("probe interrupted");
    } catch (ExecutionException bug) {
      return candidate.failed("probe failed: " + bug.getCause());
    }
  }

  private Answer ask(Candidate candidate, ProbeRun runs) {
    Located located = locator.locate(candidate.binary());
    if (located.path() == null) {
      return candidate.failed(located.problem());
    }
    Path path = located.path();
    Optional<Path> reservedBy = reserved.stream().filter(realPath(path)::startsWith).findFirst();
    if (reservedBy.isPresent()) {
      return candidate.failed(path + " belongs to the worker's own runtime " + reservedBy.get()
          + ", not offered to actions");
    }
    ProbeRun.Ran ran = runs.run(path, candidate.runtime().versionArguments());
    if (ran.failure() != null) {
      return candidate.failed(ran.failure());
    }
    String text = ran.output();
    Optional<Version> version = versionIn(text);
    if (version.isEmpty()) {
      return candidate.failed("no version in output: " + excerpt(text));
    }
    return new Answer(candidate, new Interpreter(candidate.runtime().name(), candidate.binary(),
        path.toString(), version.get()), null);
  }

  /** The path with links resolved, or as it is when it cannot be resolved. */
  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException | SecurityException unresolvable) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static Optional<Version> versionIn(String text) {
    try {
      return Version.findIn(text);
    } catch (IllegalArgumentException absurd) {
      return Optional.empty(); // digits too long for a version part
    }
  }

  private static String excerpt(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    if (oneLine.isEmpty()) {
      return "(no output)";
    }
    return oneLine.length() <= OUTPUT_SHOWN ? oneLine : oneLine.substring(0, OUTPUT_SHOWN);
  }

  private record Candidate(KnownRuntime runtime, String binary) {
    Answer failed(String why) {
      return new Answer(this, null, why);
    }
  }

  /** Either an interpreter or the reason there is none. */
  private record Answer(Candidate candidate, Interpreter interpreter, String failure) {
  }
}
