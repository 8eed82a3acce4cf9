/** The use cases, implemented as plain classes wired with {@code new} in the composition root. */
package io.attune.worker.core.service;
