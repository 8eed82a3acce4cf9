/**
 * Abstract contract tests of the out-ports. Every adapter of a port extends the port's contract and supplies a
 * fresh, empty instance; the contracts use only the port interfaces, pass every instant explicitly and assert
 * relations between ids, never their values, so a database-backed adapter can pass them unchanged.
 */
package io.attune.worker.core.port.contract;
