package io.attune.worker.adapter.postgres;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Concurrent calls of one statement made as one statement over all of them, the way a database groups the commits
 * of concurrent transactions. A call that finds a lane free (fewer statements running than there are lanes) runs its
 * own at once, alone: a quiet process waits for nothing. Calls made while every lane is busy queue; when a statement
 * returns, one of them runs one statement for all that queued meanwhile (up to a limit). Under load the round trips,
 * plans and commits are shared; no call ever waits for a timer.
 *
 * <p>One call is run by the statement for one item ({@code alone}), several by the statement for many
 * ({@code together}). Two calls with the same key never share a statement (the later one waits for the next), so a
 * statement over several items touches each row once. When the statement for several fails (a deadlock with
 * another process, a lost connection), each of its calls runs alone on its own thread, as if it had never been
 * grouped: its answer or its failure is then its own.
 *
 * @param <I> what a call asks for
 * @param <O> its answer
 */
final class GroupCommit<I, O> {

  /** Runs the statement for several calls, answering in their order. */
  @FunctionalInterface
  interface Together<I, O> {
    List<O> run(List<I> items);
  }

  private final Function<I, O> alone;
  private final Together<I, O> together;
  private final Function<I, ?> key;
  private final int limit;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition finished = lock.newCondition();
  private final LinkedHashSet<Call<I, O>> queued = new LinkedHashSet<>();
  private final int lanes;
  /** How many statements are running: at {@link #lanes}, new calls queue. */
  private int running;

  /**
   * @param alone the statement for one call
   * @param together the statement for several
   * @param key what makes two calls touch the same row
   * @param limit the most calls one statement takes, at least 2
   * @param lanes how many statements may run at once, at least 1: one lets only one statement at a time use the
   *     database's cores, so that a busy process would be slower than with its calls each on its own
   */
  GroupCommit(Function<I, O> alone, Together<I, O> together, Function<I, ?> key, int limit, int lanes) {
    if (limit < 2) {
      throw new IllegalArgumentException("a statement for several takes at least two calls, was " + limit);
    }
    if (lanes < 1) {
      throw new IllegalArgumentException("at least one statement must be able to run, was " + lanes);
    }
    this.lanes = lanes;
    this.alone = Objects.requireNonNull(alone, "alone");
    this.together = Objects.requireNonNull(together, "together");
    this.key = Objects.requireNonNull(key, "key");
    this.limit = limit;
  }

  /** The answer to the item, from a statement this thread runs or one another thread ran with it. */
  O call(I item) {
    Call<I, O> call = new Call<>(item);
    lock.lock();
    try {
      queued.add(call);
    } finally {
      lock.unlock();
    }
    while (true) {
      List<Call<I, O>> taken;
      lock.lock();
      try {
        // a call another thread took is answered by that thread's statement, whatever lanes free up meanwhile
        while (!call.done && (call.taken || running >= lanes)) {
          finished.awaitUninterruptibly();
        }
        if (call.done && !call.alone) {
          return call.answer();
        }
        if (call.done) {
          break;
        }
        running++;
        taken = take();
      } finally {
        lock.unlock();
      }
      runAndFinish(taken);
    }
    // its group's statement failed: once more, by itself, outside the group
    return alone.apply(item);
  }

  /** Up to the limit of queued calls, the oldest first, no two with the same key. */
  private List<Call<I, O>> take() {
    List<Call<I, O>> taken = new ArrayList<>();
    Set<Object> keys = new HashSet<>();
    for (Iterator<Call<I, O>> it = queued.iterator(); it.hasNext() && taken.size() < limit; ) {
      Call<I, O> next = it.next();
      if (keys.add(key.apply(next.item))) {
        next.taken = true;
        taken.add(next);
        it.remove();
      }
    }
    return taken;
  }

  private void runAndFinish(List<Call<I, O>> taken) {
    List<O> answers = null;
    RuntimeException failure = null;
    try {
      if (taken.size() == 1) {
        answers = List.of(alone.apply(taken.get(0).item));
      } else {
        answers = together.run(taken.stream().map(c -> c.item).toList());
        if (answers.size() != taken.size()) {
          throw new IllegalStateException(answers.size() + " answers to " + taken.size() + " calls");
        }
      }
    } catch (RuntimeException failed) {
      failure = failed;
    } finally {
      lock.lock();
      try {
        for (int i = 0; i < taken.size(); i++) {
          Call<I, O> call = taken.get(i);
          if (answers != null) {
            call.answered(answers.get(i));
          } else if (taken.size() == 1) {
            call.failed(failure);
          } else {
            call.alone = true;
            call.done = true;
          }
        }
        running--;
        finished.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** One caller's item, and its answer once a statement ran it. Guarded by the lock. */
  private static final class Call<I, O> {
    private final I item;
    /** A statement has it: only that statement answers it. */
    private boolean taken;
    private boolean done;
    /** Its group's statement failed: it runs by itself. */
    private boolean alone;
    private O answer;
    private RuntimeException failure;

    Call(I item) {
      this.item = item;
    }

    void answered(O answer) {
      this.answer = answer;
      this.done = true;
    }

    void failed(RuntimeException failure) {
      this.failure = failure;
      this.done = true;
    }

    O answer() {
      if (failure != null) {
        throw failure;
      }
      return answer;
    }
  }
}
