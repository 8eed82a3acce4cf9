package io.attune.worker.bootstrap.demo;

import io.attune.worker.core.model.execution.ExecutionId;
import java.time.Duration;

/** One execution of the demo, as the final table shows it. */
public final class DemoRow {
  final ExecutionId id;
  final String action;
  final String runtime;
  String worker;
  String status = "requested";
  String whyNotOthers = "-";
  int waits;
  Duration waitingSince;
  Duration dispatchedAt;
  Duration duration;
  boolean ended;

  DemoRow(ExecutionId id, String action, String runtime) {
    this.id = id;
    this.action = action;
    this.runtime = runtime;
  }

  void dispatched(String onWorker, String why, Duration at) {
    this.worker = onWorker;
    this.whyNotOthers = why;
    this.dispatchedAt = at;
    this.status = "scheduled";
  }

  void ended(String finalStatus, Duration ran, String why) {
    this.status = finalStatus;
    this.duration = ran;
    this.whyNotOthers = why;
    this.ended = true;
  }

  Duration waited() {
    return waitingSince == null || dispatchedAt == null ? Duration.ZERO : dispatchedAt.minus(waitingSince);
  }

  public String action() {
    return action;
  }

  public String worker() {
    return worker;
  }

  public String status() {
    return status;
  }

  public int waits() {
    return waits;
  }

  public String whyNotOthers() {
    return whyNotOthers;
  }
}
