/** The repository's own files as tests read them: where the repository is, and its docker-compose.yaml. */
package io.attune.worker.testsupport.repository;
