/** Runtime names with their aliases, versions and version constraints. */
package io.attune.worker.core.model.runtime;
