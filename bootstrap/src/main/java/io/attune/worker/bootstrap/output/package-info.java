/** Text and JSON output of the command line. */
package io.attune.worker.bootstrap.output;
