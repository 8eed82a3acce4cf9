package io.attune.worker.bootstrap.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.attune.worker.core.model.worker.ProcessInstance;
import io.attune.worker.core.port.out.ProcessTable;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ThisProcessTest {

  @Test
  void this_process_is_an_instance_of_its_own_with_what_tells_its_process_table() {
    ProcessInstance one = ThisProcess.instance("host-a");
    ProcessInstance two = ThisProcess.instance("host-a");

    assertThat(one.id()).isNotEqualTo(two.id());
    assertThat(one.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(one.bootId()).as("Linux: /proc/sys/kernel/random/boot_id").isNotEmpty();
    assertThat(one.pidNamespace()).startsWith("pid:[");
    assertThat(one.sameProcessTableAs(two)).isTrue();
  }

  @Test
  void the_process_table_tells_a_running_process_from_a_gone_one_and_from_a_reused_id() throws Exception {
    ProcessTable table = ThisProcess.processTable();
    ProcessInstance me = ThisProcess.instance("host-a");
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();

    assertThat(table.isRunning(me.pid(), me.startedAt())).isTrue();
    assertThat(table.isRunning(me.pid(), me.startedAt().minusSeconds(3600))).as("another start: a reused id")
        .isFalse();
    assertThat(table.isRunning(ended.pid(), Instant.now())).isFalse();
  }
}
