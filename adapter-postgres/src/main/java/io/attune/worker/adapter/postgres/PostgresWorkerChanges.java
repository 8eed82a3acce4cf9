package io.attune.worker.adapter.postgres;

import io.attune.worker.adapter.postgres.jooq.tables.records.WorkerRecord;
import io.attune.worker.core.model.worker.Worker;
import io.attune.worker.core.model.worker.WorkerId;
import io.attune.worker.core.port.out.WorkerChanges;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jooq.JSONB;

/**
 * The changes of the {@code worker} table, for a scheduler's copy of the fleet (V6__worker_changes.sql).
 *
 * <p>A position is the xmin of the snapshot of the last read: every transaction below it had ended when that read
 * was made, so its changes were in it. The next read asks for every row stamped by that transaction or a later
 * one. Sequence numbers would not do: concurrent transactions commit out of order, so a reader could see position 12
 * committed and later 11, and skip it. The stamps make the reader read some rows again (those written since the
 * oldest transaction running at its last read), which the port allows.
 *
 * <p>Each answer is one statement, so its rows and its new position come from one snapshot. Capabilities are
 * parsed only for a JSON text not seen before ({@link Rows} caches them).
 */
final class PostgresWorkerChanges implements WorkerChanges {

  private static final String COLUMNS = "w.id, w.name, w.worker_type, w.host, w.status, w.cordoned, "
      + "w.capabilities::text, w.heartbeat_interval_seconds, w.last_heartbeat, w.running, w.reserved::text";
  private static final String NO_WORKER = "NULL::bigint, NULL, NULL, NULL, NULL, NULL::boolean, NULL, NULL::integer, "
      + "NULL::timestamptz, NULL::integer, NULL";
  /** The snapshot's xmin, and whether removals the reader needs were forgotten: parameter 1 the reader's position. */
  private static final String SNAPSHOT = "WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint "
      + "AS xmin, (SELECT forgotten_through >= ? FROM worker_removal_horizon WHERE id = 1) AS forgot) ";

  /** Every worker; at least one row, which carries the position even when there is no worker. */
  private static final String ALL = SNAPSHOT + "SELECT " + COLUMNS + ", NULL::bigint AS removed, s.xmin, s.forgot "
      + "FROM s LEFT JOIN worker w ON true";

  /**
   * The workers stamped at or after the position (2), the removals likewise (3); at least one row, which carries the
   * new position even when nothing changed.
   */
  private static final String SINCE = SNAPSHOT
      + "SELECT " + COLUMNS + ", NULL::bigint AS removed, s.xmin, s.forgot "
      + "FROM s LEFT JOIN worker w ON w.change_xid >= ? "
      + "UNION ALL SELECT " + NO_WORKER + ", r.worker_id, s.xmin, s.forgot "
      + "FROM s JOIN worker_removal r ON r.change_xid >= ?";

  private final Database db;
  private final Rows rows;

  PostgresWorkerChanges(Database db, Rows rows) {
    this.db = db;
    this.rows = rows;
  }

  @Override
  public Snapshot snapshot() {
    return db.jdbc("load every worker", connection -> {
      try (PreparedStatement query = connection.prepareStatement(ALL)) {
        query.setLong(1, Long.MAX_VALUE);
        Read read = read(query);
        return new Snapshot(read.changed, read.position);
      }
    });
  }

  @Override
  public Changes since(long position) {
    return db.jdbc("read the changes of workers since " + position, connection -> {
      try (PreparedStatement query = connection.prepareStatement(SINCE)) {
        query.setLong(1, position);
        query.setLong(2, position);
        query.setLong(3, position);
        Read read = read(query);
        return read.forgot ? Changes.incomplete(read.position)
            : new Changes(read.changed, read.removed, read.position, true);
      }
    });
  }

  private Read read(PreparedStatement query) throws SQLException {
    Read read = new Read();
    try (ResultSet row = query.executeQuery()) {
      while (row.next()) {
        read.position = row.getLong("xmin");
        read.forgot = row.getBoolean("forgot");
        long removed = row.getLong("removed");
        if (!row.wasNull()) {
          read.removed.add(new WorkerId(removed));
        } else if (row.getObject(1) != null) {
          read.changed.add(worker(row));
        }
      }
    }
    return read;
  }

  private Worker worker(ResultSet row) throws SQLException {
    WorkerRecord record = new WorkerRecord();
    record.setId(row.getLong(1));
    record.setName(row.getString(2));
    record.setWorkerType(row.getString(3));
    record.setHost(row.getString(4));
    record.setStatus(row.getString(5));
    record.setCordoned(row.getBoolean(6));
    record.setCapabilities(JSONB.valueOf(row.getString(7)));
    record.setHeartbeatIntervalSeconds(row.getInt(8));
    OffsetDateTime heartbeat = row.getObject(9, OffsetDateTime.class);
    record.setLastHeartbeat(heartbeat == null ? null : heartbeat.toInstant());
    record.setRunning(row.getInt(10));
    record.setReserved(JSONB.valueOf(row.getString(11)));
    return rows.worker(record);
  }

  /** What one statement returned. */
  private static final class Read {
    private final List<Worker> changed = new ArrayList<>();
    private final List<WorkerId> removed = new ArrayList<>();
    private long position;
    private boolean forgot;
  }
}
