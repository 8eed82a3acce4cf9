/** User accounts and the default user of a fresh installation. */
package io.attune.worker.core.model.user;
