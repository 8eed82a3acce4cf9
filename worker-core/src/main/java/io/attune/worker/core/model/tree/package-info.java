/** Reading JSON-shaped trees with errors that name the source, the key path and what was expected. */
package io.attune.worker.core.model.tree;
