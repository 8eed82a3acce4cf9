/** The postgres adapter of the worker core. */
package io.attune.worker.adapter.postgres;
