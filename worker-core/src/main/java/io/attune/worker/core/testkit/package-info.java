/** A small kit for placement tests: worker and action fixtures, scenarios and a settable clock. */
package io.attune.worker.core.testkit;
