package io.attune.worker.bootstrap.demo;

import io.attune.worker.bootstrap.output.Table;
import io.attune.worker.core.model.placement.PlacementReport;
import io.attune.worker.core.model.placement.WorkerAssessment;
import io.attune.worker.core.model.placement.rule.Rejection;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How the demo reads: the final table, the compact reasons in it, and durations in seconds. */
final class DemoTable {

  private DemoTable() {
  }

  /** The table of every execution and a line counting them by status. */
  static void print(PrintWriter out, List<DemoRow> rows, Duration elapsed) {
    out.println();
    Table table = new Table("ID", "ACTION", "RUNTIME", "WORKER", "STATUS", "WAITED", "DURATION", "WHY NOT THE OTHERS");
    for (DemoRow row : rows) {
      table.row("#" + row.id, row.action, row.runtime, row.worker == null ? "-" : row.worker, row.status,
          row.waits == 0 ? "-" : seconds(row.waited()), row.duration == null ? "-" : seconds(row.duration),
          row.whyNotOthers);
    }
    out.print(table);
    Map<String, Long> byStatus = rows.stream().collect(Collectors.groupingBy(r -> r.status, LinkedHashMap::new,
        Collectors.counting()));
    out.println();
    out.println(rows.size() + " executions in " + seconds(elapsed) + ": " + byStatus.entrySet().stream()
        .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
    out.flush();
  }

  /** A compact reason per other worker: its rejection codes, or why an eligible one was not chosen. */
  static String whyNotOthers(PlacementReport report, String chosen) {
    List<String> reasons = new ArrayList<>();
    for (WorkerAssessment a : report.workers()) {
      if (a.worker().name().equals(chosen)) {
        continue;
      }
      reasons.add(a.worker().name() + ": " + (a.eligible() ? "eligible, busier or later in turn"
          : a.rejections().stream().map(DemoTable::shortReason).collect(Collectors.joining(", "))));
    }
    return reasons.isEmpty() ? "-" : String.join("; ", reasons);
  }

  private static String shortReason(Rejection rejection) {
    return switch (rejection.code()) {
      case AT_CAPACITY -> "at_capacity (" + rejection.detail().replace("running ", "") + ")";
      default -> rejection.code().wireName();
    };
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2fs", d.toMillis() / 1000.0);
  }
}
