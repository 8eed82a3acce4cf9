/**
 * What an action asks of a worker: its runtime and version, pack, labels and affinity, tolerations and GPUs
 * ({@link io.attune.worker.core.model.placement.requirement.ActionRequirements}), and their tree form.
 */
package io.attune.worker.core.model.placement.requirement;
