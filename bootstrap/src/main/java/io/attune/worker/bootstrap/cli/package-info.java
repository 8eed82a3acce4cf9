/** The attune-worker subcommands (picocli). */
package io.attune.worker.bootstrap.cli;
