/** The typed exceptions of the worker: configuration errors and infrastructure failures. */
package io.attune.worker.core.error;
