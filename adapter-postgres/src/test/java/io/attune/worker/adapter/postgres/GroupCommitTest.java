package io.attune.worker.adapter.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Overlap is forced, never timed: the statement for the first call blocks on a latch until the other callers are
 * seen parked in the queue, one after another, so the queue order is the order they were started in.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GroupCommitTest {

  private static final long PATIENCE_SECONDS = 10;
  /** The item whose statement, run alone, holds the statement running until the test releases it. */
  private static final String FIRST = "first";

  private final CountDownLatch firstRunning = new CountDownLatch(1);
  private final CountDownLatch releaseFirst = new CountDownLatch(1);
  /** Each run of {@code alone}, as "item on thread". */
  private final List<String> aloneRuns = new CopyOnWriteArrayList<>();
  /** The items of each run of {@code together}, in order. */
  private final List<List<String>> togetherRuns = new CopyOnWriteArrayList<>();
  /** What {@code alone} throws for an item, if anything. */
  private final Map<String, RuntimeException> aloneFailures = new ConcurrentHashMap<>();
  private volatile RuntimeException togetherFailure;

  @AfterEach
  void release_anything_still_blocked() {
    releaseFirst.countDown();
  }

  @Test
  void a_call_alone_runs_the_statement_for_one_at_once() {
    GroupCommit<String, String> group = group(8);

    assertThat(group.call("a")).isEqualTo("alone:a");

    assertThat(aloneRuns).containsExactly("a on " + Thread.currentThread().getName());
    assertThat(togetherRuns).isEmpty();
  }

  @Test
  void calls_made_while_a_statement_runs_are_answered_by_one_statement_for_all_of_them() {
    GroupCommit<String, String> group = group(8);
    Caller first = startFirst(group);
    Caller b = callQueued(group, "b");
    Caller c = callQueued(group, "c");
    Caller d = callQueued(group, "d");

    releaseFirst.countDown();

    assertThat(first.answer()).isEqualTo("alone:first");
    assertThat(b.answer()).isEqualTo("together:b");
    assertThat(c.answer()).isEqualTo("together:c");
    assertThat(d.answer()).isEqualTo("together:d");
    assertThat(togetherRuns).containsExactly(List.of("b", "c", "d"));
    assertThat(aloneRuns).containsExactly("first on caller-first");
  }

  @Test
  void two_queued_calls_with_the_same_key_never_share_a_statement() {
    GroupCommit<String, String> group = group(8);
    Caller first = startFirst(group);
    Caller row1a = callQueued(group, "row1-a");
    Caller row1b = callQueued(group, "row1-b");
    Caller row2 = callQueued(group, "row2-a");

    releaseFirst.countDown();

    assertThat(first.answer()).isEqualTo("alone:first");
    assertThat(row1a.answer()).isEqualTo("together:row1-a");
    assertThat(row2.answer()).isEqualTo("together:row2-a");
    assertThat(row1b.answer()).as("the second call on row1 runs in a later statement").isEqualTo("alone:row1-b");
    assertThat(togetherRuns).containsExactly(List.of("row1-a", "row2-a"));
    assertThat(aloneRuns).containsExactly("first on caller-first", "row1-b on caller-row1-b");
  }

  @Test
  void a_statement_for_several_takes_no_more_calls_than_the_limit() {
    GroupCommit<String, String> group = group(2);
    Caller first = startFirst(group);
    List<Caller> queued = List.of(
        callQueued(group, "q1"), callQueued(group, "q2"), callQueued(group, "q3"), callQueued(group, "q4"));

    releaseFirst.countDown();

    assertThat(first.answer()).isEqualTo("alone:first");
    for (Caller caller : queued) {
      assertThat(caller.answer()).isEqualTo("together:" + caller.item);
    }
    assertThat(togetherRuns).allSatisfy(items -> assertThat(items).hasSizeLessThanOrEqualTo(2));
    assertThat(togetherRuns).containsExactly(List.of("q1", "q2"), List.of("q3", "q4"));
  }

  @Test
  void when_the_statement_for_several_fails_each_call_runs_alone_on_its_own_thread() {
    togetherFailure = new IllegalStateException("deadlock detected");
    GroupCommit<String, String> group = group(8);
    Caller first = startFirst(group);
    Caller b = callQueued(group, "b");
    Caller c = callQueued(group, "c");
    Caller d = callQueued(group, "d");

    releaseFirst.countDown();

    assertThat(first.answer()).isEqualTo("alone:first");
    assertThat(b.answer()).isEqualTo("alone:b");
    assertThat(c.answer()).isEqualTo("alone:c");
    assertThat(d.answer()).isEqualTo("alone:d");
    assertThat(togetherRuns).containsExactly(List.of("b", "c", "d"));
    assertThat(aloneRuns).containsExactlyInAnyOrder(
        "first on caller-first", "b on caller-b", "c on caller-c", "d on caller-d");
  }

  @Test
  void after_the_statement_for_several_fails_a_call_failing_alone_fails_only_itself() {
    togetherFailure = new IllegalStateException("deadlock detected");
    RuntimeException cFailure = new IllegalStateException("c violates a constraint");
    aloneFailures.put("c", cFailure);
    GroupCommit<String, String> group = group(8);
    Caller first = startFirst(group);
    Caller b = callQueued(group, "b");
    Caller c = callQueued(group, "c");
    Caller d = callQueued(group, "d");

    releaseFirst.countDown();

    assertThat(first.answer()).isEqualTo("alone:first");
    assertThat(b.answer()).isEqualTo("alone:b");
    assertThat(c.failure()).isSameAs(cFailure);
    assertThat(d.answer()).isEqualTo("alone:d");
  }

  @Test
  void a_single_call_failing_alone_gets_its_own_failure_and_later_calls_still_run() {
    RuntimeException failure = new IllegalStateException("no such row");
    aloneFailures.put("bad", failure);
    GroupCommit<String, String> group = group(8);

    assertThat(new Caller(group, "bad").failure()).isSameAs(failure);
    assertThat(new Caller(group, "good").answer()).isEqualTo("alone:good");
    assertThat(togetherRuns).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 0, -7})
  void a_limit_below_two_is_refused_naming_the_limit(int limit) {
    assertThatThrownBy(() -> group(limit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(limit));
  }

  @Test
  void with_two_lanes_a_call_runs_alone_at_once_while_one_statement_runs() {
    GroupCommit<String, String> group = new GroupCommit<>(this::alone, this::together, item -> item, 8, 2);
    Caller first = startFirst(group);

    assertThat(group.call("second")).isEqualTo("alone:second");

    releaseFirst.countDown();
    assertThat(first.answer()).isEqualTo("alone:first");
    assertThat(togetherRuns).isEmpty();
  }

  /**
   * With two lanes, a lane that frees while a call is in another thread's statement must not make that call run
   * again: it was once re-queued and run twice, the second answer (a refusal, the row having moved on) replacing
   * the first.
   */
  @Test
  void a_call_in_another_threads_statement_is_answered_by_that_statement_alone_when_a_lane_frees() {
    CountDownLatch secondRunning = new CountDownLatch(1);
    CountDownLatch releaseSecond = new CountDownLatch(1);
    CountDownLatch togetherRunning = new CountDownLatch(1);
    CountDownLatch releaseTogether = new CountDownLatch(1);
    List<String> runs = new CopyOnWriteArrayList<>();
    GroupCommit<String, String> group = new GroupCommit<>(item -> {
      runs.add(item);
      if (item.equals(FIRST)) {
        firstRunning.countDown();
        awaitLatch(releaseFirst, "the test to release the first statement");
      } else if (item.equals("second")) {
        secondRunning.countDown();
        awaitLatch(releaseSecond, "the test to release the second statement");
      }
      return "alone:" + item;
    }, items -> {
      runs.add(String.join("+", items));
      togetherRunning.countDown();
      awaitLatch(releaseTogether, "the test to release the statement for several");
      return items.stream().map(item -> "together:" + item).toList();
    }, item -> item, 8, 2);
    Caller first = startFirst(group);
    Caller second = new Caller(group, "second");
    awaitLatch(secondRunning, "the second call to take the second lane");
    Caller c = callQueued(group, "c");
    Caller d = callQueued(group, "d");
    releaseFirst.countDown();
    awaitLatch(togetherRunning, "c to run c and d together in the freed lane");

    releaseSecond.countDown();
    assertThat(second.answer()).isEqualTo("alone:second");
    waitUntil("d to wait for the statement that has it", d::isQueued);
    releaseTogether.countDown();

    assertThat(first.answer()).isEqualTo("alone:first");
    assertThat(c.answer()).isEqualTo("together:c");
    assertThat(d.answer()).isEqualTo("together:d");
    assertThat(runs).containsExactly(FIRST, "second", "c+d");
  }

  @Test
  void fewer_than_one_lane_is_refused_naming_the_number() {
    assertThatThrownBy(() -> new GroupCommit<String, String>(this::alone, this::together, item -> item, 8, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }

  @Test
  void a_limit_of_two_is_accepted() {
    assertThatCode(() -> group(2)).doesNotThrowAnyException();
  }

  // --- the statements, recording how they ran ---

  private GroupCommit<String, String> group(int limit) {
    // the key is what comes before a '-': "row1-a" and "row1-b" touch the same row
    return new GroupCommit<>(this::alone, this::together, item -> item.split("-")[0], limit, 1);
  }

  private String alone(String item) {
    aloneRuns.add(item + " on " + Thread.currentThread().getName());
    if (item.equals(FIRST)) {
      firstRunning.countDown();
      awaitLatch(releaseFirst, "the test to release the first statement");
    }
    RuntimeException failure = aloneFailures.get(item);
    if (failure != null) {
      throw failure;
    }
    return "alone:" + item;
  }

  private List<String> together(List<String> items) {
    togetherRuns.add(List.copyOf(items));
    if (togetherFailure != null) {
      throw togetherFailure;
    }
    return items.stream().map(item -> "together:" + item).toList();
  }

  // --- callers on their own threads, and bounded waits ---

  /** Starts the call whose statement runs alone and holds until {@link #releaseFirst}. */
  private Caller startFirst(GroupCommit<String, String> group) {
    Caller first = new Caller(group, FIRST);
    awaitLatch(firstRunning, "the first call to start its statement");
    return first;
  }

  /** Starts a call and waits until it is parked in the queue behind the running statement. */
  private Caller callQueued(GroupCommit<String, String> group, String item) {
    Caller caller = new Caller(group, item);
    waitUntil(caller.thread.getName() + " to queue behind the running statement", caller::isQueued);
    return caller;
  }

  private static void awaitLatch(CountDownLatch latch, String what) {
    try {
      if (!latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
        fail("waited " + PATIENCE_SECONDS + " s for " + what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted waiting for " + what);
    }
  }

  private static void waitUntil(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited " + PATIENCE_SECONDS + " s for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  /** One call of the group, made on its own thread named "caller-" + item. */
  private static final class Caller {
    private final String item;
    private final FutureTask<String> result;
    private final Thread thread;

    Caller(GroupCommit<String, String> group, String item) {
      this.item = item;
      this.result = new FutureTask<>(() -> group.call(item));
      this.thread = new Thread(result, "caller-" + item);
      thread.setDaemon(true);
      thread.start();
    }

    /** Parked waiting for the running statement to finish: it has joined the queue. */
    boolean isQueued() {
      return thread.getState() == Thread.State.WAITING
          && Arrays.stream(thread.getStackTrace())
              .anyMatch(frame -> frame.getMethodName().equals("awaitUninterruptibly"));
    }

    String answer() {
      try {
        return result.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new AssertionError(thread.getName() + " failed instead of answering", e.getCause());
      } catch (TimeoutException e) {
        throw new AssertionError(thread.getName() + " got no answer within " + PATIENCE_SECONDS + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + thread.getName());
      }
    }

    Throwable failure() {
      try {
        String answer = result.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
        throw new AssertionError(thread.getName() + " answered " + answer + " instead of failing");
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (TimeoutException e) {
        throw new AssertionError(thread.getName() + " did not finish within " + PATIENCE_SECONDS + " s");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + thread.getName());
      }
    }
  }
}
