package io.attune.worker.adapter.rabbitmq.broker;

import io.attune.worker.core.model.execution.ExecutionId;
import io.attune.worker.core.model.worker.WorkerId;
import java.util.Objects;

/**
 * The names on the wire: exchanges, queues, routing keys and headers, following Attune's where they exist.
 *
 * <pre>
 * attune.executions (topic, durable)
 *   execution.dispatch.worker.{id} -&gt; worker.{id}.executions   (durable, dead-letters to attune.dlx)
 *   execution.request              -&gt; attune.execution.requests (durable, dead-letters to attune.dlx)
 *   execution.result.{execution}   -&gt; attune.execution.results.{uuid}, one per subscriber
 *                                     (exclusive, auto-delete, bound with execution.result.# or one execution)
 *   execution.cancel.worker.{id}   -&gt; attune.execution.cancels.{uuid}, one per worker process
 *                                     (exclusive, auto-delete: a stop request is only for a process running now)
 * attune.dlx (fanout, durable)     -&gt; attune.dead_letters       (durable)
 * </pre>
 *
 * <p>Results are notifications (the database holds the truth), and several parties want each one: the scheduler,
 * every {@code submit --wait}. One shared queue would hand each result to only one of them, and would fill up while
 * nobody listens; so every subscriber gets its own temporary queue, gone with its connection.
 */
public final class RabbitTopology {

  /** The topic exchange every execution message goes through. */
  public static final String EXECUTIONS_EXCHANGE = "attune.executions";
  /** The fanout exchange for messages that were rejected, could not be read or expired. */
  public static final String DEAD_LETTER_EXCHANGE = "attune.dlx";
  /** The durable queue that keeps every dead letter. */
  public static final String DEAD_LETTER_QUEUE = "attune.dead_letters";
  /** The scheduler's inbox. */
  public static final String REQUEST_QUEUE = "attune.execution.requests";
  /** The routing key of execution requests. */
  public static final String REQUEST_ROUTING_KEY = "execution.request";
  /** The prefix of every result subscriber's own queue. */
  public static final String RESULT_QUEUE_PREFIX = "attune.execution.results.";
  /** The prefix of every worker process's own queue of stop requests. */
  public static final String STOP_QUEUE_PREFIX = "attune.execution.cancels.";
  /** The routing-key pattern that matches every result. */
  public static final String ALL_RESULTS_PATTERN = "execution.result.#";
  /** The header that says why this adapter dead-lettered a message. */
  public static final String REJECT_REASON_HEADER = "x-attune-reject-reason";
  /** The header that names the queue a dead-lettered message came from. */
  public static final String ORIGINAL_QUEUE_HEADER = "x-attune-original-queue";
  /** The header that keeps the routing key a dead-lettered message was first published with. */
  public static final String ORIGINAL_ROUTING_KEY_HEADER = "x-attune-original-routing-key";

  private RabbitTopology() {
  }

  /** {@code worker.{id}.executions}. */
  public static String workerQueue(WorkerId worker) {
    return "worker." + Objects.requireNonNull(worker, "worker").value() + ".executions";
  }

  /** {@code execution.dispatch.worker.{id}}. */
  public static String dispatchRoutingKey(WorkerId worker) {
    return "execution.dispatch.worker." + Objects.requireNonNull(worker, "worker").value();
  }

  /** {@code execution.cancel.worker.{id}}: stop requests (an operator's cancel) for the worker's executions. */
  public static String stopRoutingKey(WorkerId worker) {
    return "execution.cancel.worker." + Objects.requireNonNull(worker, "worker").value();
  }

  /** {@code execution.result.{execution id}}. */
  public static String resultRoutingKey(ExecutionId execution) {
    return "execution.result." + Objects.requireNonNull(execution, "execution").value();
  }
}
