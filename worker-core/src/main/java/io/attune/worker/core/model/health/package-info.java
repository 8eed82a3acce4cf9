/** Whether a worker or scheduler process is ready for work, and why not: rules over what the process knows. */
package io.attune.worker.core.model.health;
