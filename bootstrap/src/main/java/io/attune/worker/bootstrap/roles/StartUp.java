package io.attune.worker.bootstrap.roles;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a role's start-up has opened so far, closed in reverse order should a later step fail: a role that cannot
 * start leaves no connection or thread behind.
 */
final class StartUp {

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();

  /** Remembers the resource and returns it. */
  <T extends AutoCloseable> T opened(T resource) {
    opened.push(resource);
    return resource;
  }

  /** Closes everything opened so far, newest first, and returns the failure to rethrow, with close failures added. */
  RuntimeException failed(RuntimeException failure) {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception closing) {
        failure.addSuppressed(closing);
      }
    }
    return failure;
  }
}
