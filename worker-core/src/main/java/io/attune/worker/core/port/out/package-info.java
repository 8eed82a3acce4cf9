/**
 * What the core needs from the outside: registry, execution store, dispatcher, runtime probe, action runner,
 * user store, password hasher, environment and configuration. Time comes in as a {@link java.time.Clock}. The
 * execution store and the worker directory are each made of narrow ports, one per need, which a service takes.
 */
package io.attune.worker.core.port.out;
