/** What a worker can run: capabilities, the tiers that declare them, and probed interpreters. */
package io.attune.worker.core.model.capability;
