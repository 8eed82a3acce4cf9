/** Finding runtime binaries on this machine's PATH and asking them their version, all at once. */
package io.attune.worker.adapter.local.probe;
