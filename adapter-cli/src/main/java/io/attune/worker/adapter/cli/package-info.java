/** The cli adapter of the worker core. */
package io.attune.worker.adapter.cli;
