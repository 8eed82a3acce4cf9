package io.attune.worker.benchmarks.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publisher confirms collected asynchronously for a benchmark's channel: at most {@code size} publishes wait for
 * their confirm at once, and the refused ones are counted. The broker may confirm the publishes of one channel in any
 * order, singly or several at once, so each publish is tracked by its sequence number.
 *
 * <p>Use: {@code channel.confirmSelect(); channel.addConfirmListener(window);}, then {@link #beforePublish} right
 * before each {@code basicPublish} on that channel, from one thread.
 */
public final class ConfirmWindow implements ConfirmListener {

  private final Semaphore free;
  private final NavigableSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
  private final AtomicLong nacked = new AtomicLong();

  public ConfirmWindow(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be positive, was " + size);
    }
    free = new Semaphore(size);
  }

  /** Waits for room in the window, then counts the channel's next publish as unconfirmed. */
  public void beforePublish(Channel channel) throws InterruptedException {
    free.acquire();
    unconfirmed.add(channel.getNextPublishSeqNo());
  }

  /** How many publishes the broker refused so far. */
  public long nacked() {
    return nacked.get();
  }

  @Override
  public void handleAck(long tag, boolean multiple) {
    settle(tag, multiple);
  }

  @Override
  public void handleNack(long tag, boolean multiple) {
    nacked.addAndGet(settle(tag, multiple));
  }

  private int settle(long tag, boolean multiple) {
    NavigableSet<Long> done = multiple ? unconfirmed.headSet(tag, true) : unconfirmed.subSet(tag, true, tag, true);
    int count = done.size();
    done.clear();
    free.release(count);
    return count;
  }
}
