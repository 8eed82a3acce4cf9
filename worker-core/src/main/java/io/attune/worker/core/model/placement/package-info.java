/** Placement: the rules that admit or reject a worker for an action, ranking, and the three outcomes. */
package io.attune.worker.core.model.placement;
