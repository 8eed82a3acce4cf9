/** Password hashing for the accounts the worker creates (the default user of {@code init-user}). */
package io.attune.worker.bootstrap.security;
