package io.attune.worker.bootstrap.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ProcessHardeningTest {

  @Test
  void a_hardened_process_is_no_longer_dumpable() {
    assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "prctl is Linux only");

    assertThat(ProcessHardening.makeNonDumpable()).isEmpty();

    // the kernel now hands /proc/<pid>/environ and friends to root only, and refuses ptrace to the same user
    assertThat(ProcessHardening.dumpable()).isZero();
  }
}
