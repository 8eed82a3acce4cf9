/**
 * The reference of an action, {@code <pack>.<name>}: a package of its own, so that placement can name an action
 * without depending on the action definitions, which depend on placement.
 */
package io.attune.worker.core.model.action.ref;
