/**
 * Placement: the decision for an action over a fleet (the policy, its ranking and its three outcomes), the fleet
 * index it reads, and the explanations of every rejection. What an action asks for is in {@code requirement}; the
 * rules that admit or reject a worker, and the resource kinds they count, are in {@code rule}.
 */
package io.attune.worker.core.model.placement;
