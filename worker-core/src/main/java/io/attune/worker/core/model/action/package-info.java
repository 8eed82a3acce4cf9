/** Actions of packs: runtime, entry point, parameters and placement, and parameter checking. */
package io.attune.worker.core.model.action;
