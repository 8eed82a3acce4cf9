/** The use cases the core offers: one interface per intent, implemented in {@code service}. */
package io.attune.worker.core.port.in;
