package io.attune.worker.adapter.postgres;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.util.Set;

/**
 * The pool's verdict on a failed statement: a connection whose session can no longer do its work is thrown away, so
 * the next operation gets a fresh session and the adapter heals without an operator. Hikari asks this for every
 * {@link SQLException} raised on a pooled connection (and each exception chained to it), whichever way the project
 * reached it: jOOQ's statements and plain JDBC both run on Hikari's proxies, which ask before the exception travels
 * on (jOOQ wraps it in a {@code DataAccessException} only afterwards).
 *
 * <p>Hikari already evicts on 57P01, 57P02, 57P03 and every 08 state by its own list; they are named here as well so
 * that the adapter's behaviour does not hang on that list, which has changed between Hikari versions. Any other state
 * is left to Hikari ({@code CONTINUE_EVICT}), never kept against its judgement.
 */
final class SessionEviction implements SQLExceptionOverride {

  /**
   * The SQLSTATEs that mean "this session is unusable, a new one would not be". PostgreSQL's codes:
   * https://www.postgresql.org/docs/current/errcodes-appendix.html
   */
  static final Set<String> SESSION_ENDED_OR_STUCK = Set.of(
      // read_only_sql_transaction: the session was opened while the database (or role) had
      // default_transaction_read_only on, or on a standby. ALTER DATABASE ... SET changes only sessions opened
      // afterwards, so a pooled session would stay read-only for its whole life after the database is writable
      // again; a new connection reads the current default (and, with a multi-host URL, finds the new primary)
      "25006",
      // idle_in_transaction_session_timeout: the server has closed the session
      "25P03",
      // admin_shutdown: pg_terminate_backend, or a server shutting down, ended the session
      "57P01",
      // crash_shutdown: another backend crashed and the server reset every session
      "57P02",
      // cannot_connect_now: the server is starting or in recovery; this session will not become usable
      "57P03",
      // database_dropped: the session's database is gone
      "57P04",
      // idle_session_timeout: the server has closed the session
      "57P05");

  /** Class 08, connection exception: the driver lost the connection (08006 for an I/O error) or never had it. */
  static final String CONNECTION_EXCEPTION_CLASS = "08";

  @java.lang.Override
  public SQLExceptionOverride.Override adjudicate(SQLException failure) {
    String state = failure.getSQLState();
    if (state != null && (SESSION_ENDED_OR_STUCK.contains(state) || state.startsWith(CONNECTION_EXCEPTION_CLASS))) {
      return SQLExceptionOverride.Override.MUST_EVICT;
    }
    return SQLExceptionOverride.Override.CONTINUE_EVICT;
  }
}
