/** The test services of scripts/test-services.sh: throwaway databases, virtual hosts, control scripts. */
package io.attune.worker.testsupport.services;
