/** Reading the output of child processes without letting them block. */
package io.attune.worker.adapter.cli.io;
