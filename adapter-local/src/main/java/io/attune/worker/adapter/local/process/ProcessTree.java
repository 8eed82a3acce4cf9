package io.attune.worker.adapter.local.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Ends a child process and everything it started: politely first, then by force, or by force at once. */
public final class ProcessTree {

  private static final long POLL_MILLIS = 25;

  /**
   * How a child's tree is ended politely: from Java ({@link ProcessTree#terminate}), or by a process that owns the
   * whole tree (the action launcher).
   */
  @FunctionalInterface
  public interface Ending {
    /**
     * Ends the tree of this child, giving it the grace period between SIGTERM and SIGKILL.
     *
     * @return true when force was needed
     * @throws InterruptedException when interrupted while waiting; the tree has been told to end at once first
     */
    boolean end(Process process, Duration grace) throws InterruptedException;
  }

  private ProcessTree() {
  }

  /**
   * Sends SIGTERM to the process and all its descendants, waits up to the grace period for all of them to end,
   * then sends SIGKILL to whatever is left (and to anything those started meanwhile).
   *
   * @return true when force was needed
   * @throws InterruptedException when interrupted while waiting; the tree is killed by force first
   */
  public static boolean terminate(Process process, Duration grace) throws InterruptedException {
    Set<ProcessHandle> tree = listed(process);
    tree.forEach(ProcessHandle::destroy);
    try {
      if (awaitEnd(tree, grace)) {
        return false;
      }
    } finally {
      if (tree.stream().anyMatch(ProcessTree::isRunning)) {
        kill(tree);
      }
    }
    return true;
  }

  /** Sends SIGKILL to the tree right away. */
  public static void kill(Process process) {
    kill(listed(process));
  }

  /** The process and its descendants, listed before the parent ends: its orphans are no longer its descendants. */
  private static Set<ProcessHandle> listed(Process process) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    return tree;
  }

  private static void kill(Set<ProcessHandle> tree) {
    List<ProcessHandle> all = new ArrayList<>(tree);
    for (ProcessHandle handle : tree) {
      if (isRunning(handle)) {
        handle.descendants().forEach(all::add); // started during the grace period
      }
    }
    all.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * False once the process has ended. An orphan that has ended stays a zombie until its new parent reaps it, and
   * {@link ProcessHandle#isAlive()} counts zombies as alive; on Linux {@code /proc} tells them apart.
   */
  private static boolean isRunning(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
      int afterName = stat.lastIndexOf(')');
      char state = afterName >= 0 && afterName + 2 < stat.length() ? stat.charAt(afterName + 2) : '?';
      return state != 'Z' && state != 'X';
    } catch (IOException | RuntimeException noProc) {
      return handle.isAlive(); // no /proc here, or the process just went away
    }
  }

  private static boolean awaitEnd(Set<ProcessHandle> tree, Duration grace) throws InterruptedException {
    long deadline = System.nanoTime() + grace.toNanos();
    while (tree.stream().anyMatch(ProcessTree::isRunning)) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }
}
