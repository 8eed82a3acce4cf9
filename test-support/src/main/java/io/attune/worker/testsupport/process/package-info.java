/** Scripted binaries and the processes tests start: scripts on a temporary PATH, PID files, processes still running. */
package io.attune.worker.testsupport.process;
