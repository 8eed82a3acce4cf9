/** Workers, their registration, status, cordon and heartbeat liveness. */
package io.attune.worker.core.model.worker;
