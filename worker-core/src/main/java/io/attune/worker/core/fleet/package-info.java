/**
 * A scheduler's copy of the fleet: {@code FleetView}, the {@code WorkerDirectory} a scheduler decides on, kept in step
 * with the registry through {@code WorkerChanges}. It serves no use case of its own; the composition root hands it to
 * the scheduling services in place of the registry's directory.
 */
package io.attune.worker.core.fleet;
