/**
 * The core as a running worker or scheduler: {@link io.attune.worker.core.embed.EmbeddedWorker} and
 * {@link io.attune.worker.core.embed.EmbeddedScheduler} take the ports, run the loops a long-running process needs
 * (registration, heartbeats, restart recovery, drain; sweeps and liveness) on threads of their own, and stop them
 * on {@code close()}. What they run are the use cases of {@code service}; this package adds only the timing.
 */
package io.attune.worker.core.embed;
