package io.attune.worker.bootstrap.roles;

/** The roles' background threads (heartbeat, re-probe, sweep, placing): daemons, which never keep the JVM alive. */
final class DaemonThreads {

  private DaemonThreads() {
  }

  /** A daemon thread of this name running {@code runnable}: the body of the roles' thread factories. */
  static Thread named(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
