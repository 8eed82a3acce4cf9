/** How the system waits before trying again: {@link io.attune.worker.core.model.retry.Backoff}. */
package io.attune.worker.core.model.retry;
