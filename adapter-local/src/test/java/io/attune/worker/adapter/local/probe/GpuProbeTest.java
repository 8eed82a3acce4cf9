package io.attune.worker.adapter.local.probe;

import static io.attune.worker.testsupport.process.Scripts.endsSoon;
import static io.attune.worker.testsupport.process.Scripts.executable;
import static io.attune.worker.testsupport.process.Scripts.pidIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.attune.worker.core.model.capability.Gpu;
import io.attune.worker.core.model.capability.Interpreter;
import io.attune.worker.core.model.capability.ProbeReport;
import io.attune.worker.core.model.runtime.KnownRuntime;
import io.attune.worker.core.model.runtime.RuntimeName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPUs found through a scripted {@code nvidia-smi} on a test PATH: healthy, absent, hanging, garbage. */
class GpuProbeTest {

  private static final KnownRuntime PYTHON = KnownRuntime.forName(RuntimeName.PYTHON).orElseThrow();

  @TempDir
  Path bin;

  @TempDir
  Path marks;

  private ProcessRuntimeProbe probe(Duration timeout) {
    return new ProcessRuntimeProbe(Map.of("PATH", bin.toString(), "HOME", marks.toString()), timeout);
  }

  /** An nvidia-smi that answers only the query the probe is meant to send, and records what it was asked. */
  private void nvidiaSmi(String answer) {
    executable(bin, "nvidia-smi", "echo \"$@\" > " + marks.resolve("args") + "\n"
        + "[ \"$1 $2\" = '--query-gpu=name,memory.total --format=csv,noheader,nounits' ] || exit 9\n"
        + "printf '" + answer + "'");
  }

  @Test
  void twoHealthyGpusAreReportedWithModelAndMemoryWithoutWarning() throws Exception {
    nvidiaSmi("NVIDIA A100-SXM4-80GB, 81920\\nNVIDIA A100-SXM4-80GB, 81920\\n");

    ProbeReport report = probe(Duration.ofSeconds(5)).probeWithGpus(List.of());

    assertThat(report.gpus()).containsExactly(new Gpu("NVIDIA A100-SXM4-80GB", 81920),
        new Gpu("NVIDIA A100-SXM4-80GB", 81920));
    assertThat(report.warnings()).isEmpty();
    assertThat(Files.readString(marks.resolve("args")).strip())
        .isEqualTo("--query-gpu=name,memory.total --format=csv,noheader,nounits");
  }

  @Test
  void noNvidiaSmiOnThePathMeansNoGpuAndNoWarning() {
    ProbeReport report = probe(Duration.ofSeconds(5)).probeWithGpus(List.of());

    assertThat(report.gpus()).isEmpty();
    assertThat(report.warnings()).isEmpty();
  }

  @Test
  void aHangingNvidiaSmiIsKilledAtTheTimeoutAndWarnedAboutWithNoGpu() {
    executable(bin, "nvidia-smi", "echo $$ > " + marks.resolve("smi.pid") + "\nsleep 30 &\necho $! > "
        + marks.resolve("sleep.pid") + "\nwait");

    ProbeReport report = probe(Duration.ofSeconds(1)).probeWithGpus(List.of());

    assertThat(report.gpus()).isEmpty();
    assertThat(report.warnings()).containsExactly("nvidia-smi: timed out after 1s; no GPU advertised");
    assertThat(endsSoon(pidIn(marks.resolve("smi.pid")))).as("the hung nvidia-smi is gone").isTrue();
    assertThat(endsSoon(pidIn(marks.resolve("sleep.pid")))).as("the child it started is gone").isTrue();
  }

  @Test
  void garbageOutputIsWarnedAboutNamingWhatWasExpectedWithNoGpu() {
    nvidiaSmi("NVIDIA-SMI has failed because it could not talk to the driver\\n");

    ProbeReport report = probe(Duration.ofSeconds(5)).probeWithGpus(List.of());

    assertThat(report.gpus()).isEmpty();
    assertThat(report.warnings()).singleElement().asString()
        .startsWith("nvidia-smi: unexpected output 'NVIDIA-SMI has failed because it could not talk to the driv")
        .contains("expected one line per GPU: '<name>, <memory in MiB>'")
        .endsWith("; no GPU advertised");
  }

  @Test
  void aFailingNvidiaSmiIsWarnedAboutWithItsExitStatus() {
    executable(bin, "nvidia-smi", "echo 'No devices were found'\nexit 6");

    ProbeReport report = probe(Duration.ofSeconds(5)).probeWithGpus(List.of());

    assertThat(report.gpus()).isEmpty();
    assertThat(report.warnings()).containsExactly("nvidia-smi: exit status 6; no GPU advertised");
  }

  @Test
  void gpusAreProbedInTheSameRoundAsTheRuntimesSoAHangCostsOneTimeout() {
    // python answers only once nvidia-smi has started: asked one after the other, python would give up (exit 7)
    executable(bin, "nvidia-smi", "touch " + marks.resolve("smi.started") + "\nsleep 30");
    executable(bin, "python3", "tries=0\nwhile [ ! -e " + marks.resolve("smi.started") + " ]; do\n"
        + "  tries=$((tries + 1)); [ $tries -gt 100 ] && exit 7\n  sleep 0.05\ndone\necho 'Python 3.11.2'");

    ProbeReport report = probe(Duration.ofSeconds(4)).probeWithGpus(List.of(PYTHON));

    assertThat(report.interpreters()).extracting(Interpreter::binary).containsExactly("python3");
    assertThat(report.gpus()).isEmpty();
    assertThat(report.warnings()).contains("nvidia-smi: timed out after 4s; no GPU advertised");
  }

  @Test
  void theRuntimeOnlyProbeDoesNotRunNvidiaSmi() {
    nvidiaSmi("Tesla T4, 15360\\n");

    ProbeReport report = probe(Duration.ofSeconds(5)).probe(List.of());

    assertThat(report.gpus()).isEmpty();
    assertThat(marks.resolve("args")).doesNotExist();
  }

  @Test
  void theParserReadsNamesWithCommasAndRefusesLinesWithoutMemory() {
    assertThat(NvidiaSmi.parse("Quadro RTX 8000, rev 2, 49152\n\n")).containsExactly(
        new Gpu("Quadro RTX 8000, rev 2", 49152));
    assertThat(NvidiaSmi.parse("")).isEmpty();
    assertThatThrownBy(() -> NvidiaSmi.parse("Tesla T4, [N/A]")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Tesla T4, [N/A]'");
  }
}
