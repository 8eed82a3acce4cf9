/** How the process logs: Logback, configured from ATTUNE_LOG_* (text or JSON lines, a rotated copy on disk). */
package io.attune.worker.bootstrap.logging;
