/** The composition root and entry point of the attune-worker command line. */
package io.attune.worker.bootstrap;
