/** Thread-safe in-memory adapters of the out-ports, for embedding the core without a database or broker. */
package io.attune.worker.core.adapter.out.memory;
