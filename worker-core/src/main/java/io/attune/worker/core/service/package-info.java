/**
 * The use cases, implemented as plain classes wired with {@code new} in the composition root.
 *
 * <p>Each class is named after the use case it implements: {@code RunExecutionUseCase} is implemented by
 * {@code RunExecutionService}, {@code ScheduleExecutionUseCase} by {@code ScheduleExecutionService}, and so on.
 * {@code WorkerLifecycleService} is the one class serving several: registering, heartbeating, cordoning and
 * deregistering a worker, which share its state. A scheduler's copy of the fleet, which serves no use case, lives
 * in {@code io.attune.worker.core.fleet}.
 */
package io.attune.worker.core.service;
