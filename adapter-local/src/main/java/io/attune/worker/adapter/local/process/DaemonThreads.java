package io.attune.worker.adapter.local.process;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that wait on children (their output, their input, their end): daemons, so a child that never closes a
 * pipe cannot keep the worker's JVM alive, and named, so a thread dump says whose they are.
 */
public final class DaemonThreads implements ThreadFactory {

  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();

  private DaemonThreads(String prefix) {
    this.prefix = prefix;
  }

  /** A pool that starts threads as needed, named {@code <prefix><n>}, and lets idle ones end. */
  public static ExecutorService pool(String prefix) {
    return Executors.newCachedThreadPool(new DaemonThreads(prefix));
  }

  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + count.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }
}
