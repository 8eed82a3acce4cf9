package io.attune.worker.adapter.cli.probe;

import io.attune.worker.adapter.cli.process.CappedOutput;
import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.Version;
import io.attune.worker.core.port.out.RuntimeProbe;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** The only variables a probed binary sees: enough to run, nothing of the worker's configuration or secrets. */
  private static final List<String> PASSED_VARIABLES = List.of("PATH", "HOME", "LANG");
  /** Version banners are short; a binary that floods its output is cut here. */
  private static final int OUTPUT_LIMIT = 64 * 1024;
  private static final int OUTPUT_SHOWN = 60;
  /** How long to wait for the rest of the output once the binary has exited and the timeout has passed. */
  private static final Duration OUTPUT_SLACK = Duration.ofMillis(200);

  private final Map<String, String> childEnvironment;
  private final String searchPath;
  private final Duration timeout;
  private final List<Path> reserved;
  private final Predicate<Path> usable;
  private final String usableBy;

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
    this.usable = Objects.requireNonNull(usable, "usable");
    this.usableBy = Objects.requireNonNull(usableBy, "usableBy");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("probe timeout must be positive, was " + timeout);
    }
    Map<String, String> passed = new LinkedHashMap<>();
    for (String name : PASSED_VARIABLES) {
      String value = environment.get(name);
      if (value != null) {
        passed.put(name, value);
      }
    }
    this.childEnvironment = Map.copyOf(passed);
    this.searchPath = environment.get("PATH");
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
    ExecutorService pool = Executors.newCachedThreadPool(new DaemonThreads());
    try {
      List<Future<Answer>> pending = new ArrayList<>();
      for (Candidate candidate : candidates) {
        pending.add(pool.submit(() -> ask(candidate, pool)));
      }
      Future<GpuAnswer> gpuPending = gpus ? pool.submit(() -> askGpus(pool)) : null;
      for (int i = 0; i < candidates.size(); i++) {
        answers.add(await(pending.get(i), candidates.get(i)));
      }
      return gpuPending == null ? new GpuAnswer(List.of(), null) : awaitGpus(gpuPending);
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

  private Answer ask(Candidate candidate, ExecutorService pool) {
    Located located = locate(candidate.binary());
    if (located.path() == null) {
      return candidate.failed(located.problem());
    }
    Path path = located.path();
    Optional<Path> reservedBy = reserved.stream().filter(realPath(path)::startsWith).findFirst();
    if (reservedBy.isPresent()) {
      return candidate.failed(path + " belongs to the worker's own runtime " + reservedBy.get()
          + ", not offered to actions");
    }
    Ran ran = run(path, candidate.runtime().versionArguments(), pool);
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

  /**
   * Asks {@code nvidia-smi} for the GPUs. A machine without it has no NVIDIA GPU, which is no reason for a warning;
   * one whose {@code nvidia-smi} fails, hangs or answers in a shape not expected advertises no GPU, with a warning
   * saying why.
   */
  private GpuAnswer askGpus(ExecutorService pool) {
    Located located = locate(NvidiaSmi.BINARY);
    if (located.path() == null) {
      return located.absent() ? new GpuAnswer(List.of(), null)
          : new GpuAnswer(List.of(), NvidiaSmi.BINARY + ": " + located.problem() + "; no GPU advertised");
    }
    Ran ran = run(located.path(), NvidiaSmi.ARGUMENTS, pool);
    if (ran.failure() != null) {
      return new GpuAnswer(List.of(), NvidiaSmi.BINARY + ": " + ran.failure() + "; no GPU advertised");
    }
    try {
      return new GpuAnswer(NvidiaSmi.parse(ran.output()), null);
    } catch (IllegalArgumentException unexpected) {
      return new GpuAnswer(List.of(), NvidiaSmi.BINARY + ": " + unexpected.getMessage() + "; no GPU advertised");
    }
  }

  /**
   * Runs the binary with the child environment, bounded by the timeout, and answers with its merged standard output
   * and error when it exits 0, or with why not; a binary still running at the timeout is killed with what it started.
   */
  private Ran run(Path path, List<String> arguments, ExecutorService pool) {
    List<String> command = new ArrayList<>();
    command.add(path.toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(childEnvironment);

    long deadline = System.nanoTime() + timeout.toNanos();
    Process process;
    try {
      process = builder.start();
    } catch (IOException cannotStart) {
      return Ran.failed("could not start " + path + ": " + cannotStart.getMessage());
    }
    CappedOutput output = new CappedOutput(OUTPUT_LIMIT);
    CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> output.drain(process.getInputStream()), pool);
    try {
      process.getOutputStream().close();
      if (!process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        killTree(process);
        return Ran.failed("timed out after " + format(timeout));
      }
      int exit = process.exitValue();
      if (exit != 0) {
        return Ran.failed("exit status " + exit);
      }
      long outputWait = Math.max(deadline - System.nanoTime(), OUTPUT_SLACK.toNanos());
      try {
        drained.get(outputWait, TimeUnit.NANOSECONDS);
      } catch (TimeoutException heldOpen) {
        // something the binary left behind still holds the pipe: judge what arrived so far
      }
      return new Ran(output.kept(), null);
    } catch (InterruptedException interrupted) {
      killTree(process);
      Thread.currentThread().interrupt();
      return Ran.failed("probe interrupted");
    } catch (IOException | ExecutionException unreadable) {
      killTree(process);
      return Ran.failed("could not read its output: " + unreadable.getMessage());
    }
  }

  private static GpuAnswer awaitGpus(Future<GpuAnswer> pending) {
    try {
      return pending.get();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return new GpuAnswer(List.of(), NvidiaSmi.BINARY + ": probe interrupted");
    } catch (ExecutionException bug) {
      return new GpuAnswer(List.of(), NvidiaSmi.BINARY + ": probe failed: " + bug.getCause());
    }
  }

  /** Where the binary is on the search path, or why it is not usable. */
  private Located locate(String binary) {
    if (binary.contains("/")) {
      Path direct = Path.of(binary).toAbsolutePath().normalize();
      if (!Files.isRegularFile(direct) || !Files.isExecutable(direct)) {
        return Located.unusable("not an executable file");
      }
      return usable.test(direct) ? Located.at(direct)
          : Located.unusable("found at " + direct + " but " + usableBy + " cannot run it");
    }
    if (searchPath == null || searchPath.isBlank()) {
      return Located.missing("not found on PATH (PATH is not set)");
    }
    Path notExecutable = null;
    Path notUsable = null;
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (directory.isBlank()) {
        continue;
      }
      Path file;
      try {
        file = Path.of(directory).resolve(binary).toAbsolutePath().normalize();
      } catch (InvalidPathException unusable) {
        continue;
      }
      if (Files.isRegularFile(file)) {
        if (Files.isExecutable(file) && usable.test(file)) {
          return Located.at(file);
        }
        if (Files.isExecutable(file)) {
          notUsable = notUsable == null ? file : notUsable;
        } else {
          notExecutable = notExecutable == null ? file : notExecutable;
        }
      }
    }
    if (notUsable != null) {
      return Located.unusable("found at " + notUsable + " but " + usableBy + " cannot run it");
    }
    return notExecutable != null
        ? Located.unusable("found at " + notExecutable + " but it is not executable")
        : Located.missing("not found on PATH");
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

  /** Ends a hung binary and everything it started; the descendants are listed before the parent dies. */
  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
  }

  private static String excerpt(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    if (oneLine.isEmpty()) {
      return "(no output)";
    }
    return oneLine.length() <= OUTPUT_SHOWN ? oneLine : oneLine.substring(0, OUTPUT_SHOWN);
  }

  static String format(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
  }

  private record Candidate(KnownRuntime runtime, String binary) {
    Answer failed(String why) {
      return new Answer(this, null, why);
    }
  }

  /** Either an interpreter or the reason there is none. */
  private record Answer(Candidate candidate, Interpreter interpreter, String failure) {
  }

  /**
   * Where a binary is, or why it is not usable; {@code absent} when there is no such file at all (rather than one
   * that cannot be run), which a probe for optional hardware takes silently.
   */
  private record Located(Path path, String problem, boolean absent) {
    static Located at(Path path) {
      return new Located(path, null, false);
    }

    static Located unusable(String problem) {
      return new Located(null, problem, false);
    }

    static Located missing(String problem) {
      return new Located(null, problem, true);
    }
  }

  /** The GPUs found, and a warning when looking for them went wrong. */
  private record GpuAnswer(List<Gpu> gpus, String warning) {
  }

  /** A binary's merged output when it exited 0, or why it did not. */
  private record Ran(String output, String failure) {
    static Ran failed(String why) {
      return new Ran(null, why);
    }
  }

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "attune-runtime-probe-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
