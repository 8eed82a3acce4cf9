package io.attune.worker.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.capability.Capabilities;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The version is written once, in the POM: the command line and the advertised capabilities read it from there. */
class VersionTest {

  private static final String POM_VERSION = System.getProperty("attune.pom.version");

  @Test
  void version_prints_the_poms_version() {
    CliRun run = CliRun.of(Map.of(), "--version");

    assertThat(POM_VERSION).as("surefire passes attune.pom.version").isNotBlank();
    assertThat(run.status()).isZero();
    assertThat(run.out().strip()).isEqualTo("attune-worker " + POM_VERSION);
  }

  @Test
  void workers_advertise_the_poms_version() {
    CliRun run = CliRun.of(Map.of("ATTUNE_WORKER_RUNTIMES", "shell", "PATH", "/nonexistent"), "capabilities",
        "--json");

    assertThat(Capabilities.WORKER_VERSION).isEqualTo(POM_VERSION);
    assertThat(run.out()).contains("\"worker_version\" : \"" + POM_VERSION + "\"");
  }
}
