/**
 * The placement rules, each written once: what a worker offers (capability rules, which reject for good) and its
 * state (state rules, which make an action wait), the resource kinds a worker reserves for its executions (slots,
 * GPUs, ...), and the rejection codes that explain them.
 */
package io.attune.worker.core.model.placement.rule;
