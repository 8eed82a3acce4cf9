/**
 * The use cases, implemented as plain classes wired with {@code new} in the composition root.
 *
 * <p>Each class is named after the use case it implements: {@code RunExecutionUseCase} is implemented by
 * {@code RunExecutionService}, {@code ScheduleExecutionUseCase} by {@code ScheduleExecutionService}, and so on.
 * {@code WorkerLifecycleService} is the one class serving several: registering, heartbeating, cordoning and
 * deregistering a worker, which share its state. {@code FleetView} serves no use case of its own: it is the
 * {@code WorkerDirectory} a scheduler decides on, kept in step with the registry through {@code WorkerChanges}.
 */
package io.attune.worker.core.service;
