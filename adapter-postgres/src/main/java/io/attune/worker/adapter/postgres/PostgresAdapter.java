package io.attune.worker.adapter.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.attune.worker.core.error.InfrastructureException;
import io.attune.worker.core.port.out.ExecutionStore;
import io.attune.worker.core.port.out.UserStore;
import io.attune.worker.core.port.out.WorkerChanges;
import io.attune.worker.core.port.out.WorkerDirectory;
import io.attune.worker.core.port.out.WorkerRegistry;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.time.Clock;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The PostgreSQL adapter: a connection pool, the Flyway migrations, and the worker registry and directory,
 * execution store and user store on top of it. Thread-safe; close it to release the pool.
 */
public final class PostgresAdapter implements AutoCloseable {

  static {
    // jOOQ prints a banner and tips on first use unless told not to; a worker's log is not the place
    if (System.getProperty("org.jooq.no-logo") == null) {
      System.setProperty("org.jooq.no-logo", "true");
    }
    if (System.getProperty("org.jooq.no-tips") == null) {
      System.setProperty("org.jooq.no-tips", "true");
    }
  }

  private static final String MIGRATIONS = "classpath:db/migration";

  private final PostgresSettings settings;
  private final HikariDataSource dataSource;
  private final PostgresWorkerRegistry workers;
  private final PostgresExecutionStore executions;
  private final PostgresUserStore users;
  private final PostgresWorkerChanges workerChanges;
  private final Database db;

  private PostgresAdapter(PostgresSettings settings, HikariDataSource dataSource) {
    this.settings = settings;
    this.dataSource = dataSource;
    this.db = new Database(dataSource, DSL.using(dataSource, SQLDialect.POSTGRES), settings.location());
    Rows rows = new Rows();
    this.workers = new PostgresWorkerRegistry(db, rows);
    this.executions = new PostgresExecutionStore(db, rows);
    this.users = new PostgresUserStore(db);
    this.workerChanges = new PostgresWorkerChanges(db, rows);
  }

  /**
   * Opens the pool and checks that the database answers.
   *
   * @throws InfrastructureException naming {@code host:port/database} and the user (never the password) when the
   *     database cannot be reached or refuses the login
   */
  public static PostgresAdapter connect(PostgresSettings settings) {
    Objects.requireNonNull(settings, "settings");
    HikariConfig config = poolConfig(settings);
    try {
      return new PostgresAdapter(settings, new HikariDataSource(config));
    } catch (RuntimeException unreachable) {
      throw new InfrastructureException("connect to PostgreSQL", "cannot connect to " + settings.location()
          + " as user " + settings.user() + ": " + withoutPassword(rootMessage(unreachable), settings), unreachable);
    }
  }

  /** The pool's configuration: its size, how long a connection lives, and which failures throw one away. */
  static HikariConfig poolConfig(PostgresSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("attune-postgres");
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.user());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.maxPoolSize());
    // many workers share one database: do not keep more idle connections than a worker needs
    int minimumIdle = Math.min(2, settings.maxPoolSize());
    config.setMinimumIdle(minimumIdle);
    config.setConnectionTimeout(10_000);
    // sessions keep what was true when they were opened (a read-only default, a standby's role): a short life
    // bounds how long any of that outlives its cause, whether or not a statement fails on it
    config.setMaxLifetime(PostgresSettings.MAX_LIFETIME.toMillis());
    if (minimumIdle < settings.maxPoolSize()) {
      // below the life, or Hikari disables it with a warning; a pool of fixed size has no use for it (and warns)
      config.setIdleTimeout(PostgresSettings.IDLE_TIMEOUT.toMillis());
    }
    // a read-only or ended session is thrown away at its first failed statement, not kept for its whole life
    config.setExceptionOverride(new SessionEviction());
    config.addDataSourceProperty("ApplicationName", "attune-worker");
    return config;
  }

  /**
   * A clock telling the database's time, for every process of a system to share one time base: heartbeats stamped
   * and staleness judged by it agree however far the machines' own clocks drift apart.
   */
  public DatabaseClock clock() {
    return new DatabaseClock(Clock.systemUTC(), () -> db.jdbc("read the database's clock", connection -> {
      try (var statement = connection.createStatement();
          var row = statement.executeQuery("SELECT clock_timestamp()")) {
        row.next();
        return row.getObject(1, java.time.OffsetDateTime.class).toInstant();
      }
    }), DatabaseClock.RESYNC);
  }

  /** The role the migrations grant what workers and schedulers need: their tables, no DDL, no users. */
  public static final String APPLICATION_ROLE = "attune_app";

  /**
   * Creates, or updates the password of, a login role that is a member of {@link #APPLICATION_ROLE}, for workers and
   * schedulers to connect with instead of the administrator. Needs a user allowed to create roles (the one that
   * migrates). The password travels as a bound parameter and is quoted by PostgreSQL; it is never logged.
   */
  public void grantApplicationLogin(String user, String password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    db.jdbc("create the application login " + user, connection -> {
      String statement;
      try (var format = connection.prepareStatement("SELECT format(CASE WHEN EXISTS (SELECT FROM pg_roles "
          + "WHERE rolname = ?) THEN 'ALTER ROLE %I LOGIN PASSWORD %L' ELSE 'CREATE ROLE %I LOGIN PASSWORD %L' END, "
          + "?, ?), format('GRANT %I TO %I', ?, ?)")) {
        format.setString(1, user);
        format.setString(2, user);
        format.setString(3, password);
        format.setString(4, APPLICATION_ROLE);
        format.setString(5, user);
        try (var row = format.executeQuery()) {
          row.next();
          statement = row.getString(1) + "; " + row.getString(2);
        }
      }
      try (var run = connection.createStatement()) {
        run.execute(statement);
      }
      return null;
    });
  }

  /**
   * Brings the schema up to date with Flyway; safe to run again and from several processes at once.
   *
   * @throws InfrastructureException when a migration fails
   */
  public MigrationReport migrate() {
    try {
      Flyway flyway = flyway();
      MigrateResult result = flyway.migrate();
      MigrationInfo current = flyway.info().current();
      return new MigrationReport(result.migrationsExecuted,
          current == null || current.getVersion() == null ? "" : current.getVersion().toString());
    } catch (FlywayException failed) {
      throw new InfrastructureException("migrate the database", settings.location() + ": " + failed.getMessage(),
          failed);
    }
  }

  /**
   * Checks that the database has exactly the schema this code was built for.
   *
   * @throws InfrastructureException when the schema is missing or older (run {@code attune-worker migrate}),
   *     when a migration failed, or when it is newer than this code (upgrade attune-worker)
   */
  public void requireCurrentSchema() {
    String operation = "check the database schema";
    MigrationInfoService info;
    try {
      info = flyway().info();
    } catch (FlywayException failed) {
      throw new InfrastructureException(operation, settings.location() + ": " + failed.getMessage(), failed);
    }
    String known = Arrays.stream(info.all()).filter(m -> m.getState().isResolved() && m.getVersion() != null)
        .max(Comparator.comparing(MigrationInfo::getVersion))
        .map(m -> m.getVersion().toString()).orElse("?");
    MigrationInfo current = info.current();
    if (current == null) {
      throw new InfrastructureException(operation, "the database " + settings.location()
          + " has no attune-worker schema: run `attune-worker migrate`");
    }
    String version = String.valueOf(current.getVersion());
    List<MigrationInfo> future = Arrays.stream(info.applied())
        .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
        .toList();
    if (!future.isEmpty()) {
      throw new InfrastructureException(operation, "the schema of " + settings.location() + " is at version "
          + version + ", newer than this attune-worker knows (version " + known
          + "): upgrade attune-worker, or use a database of its version");
    }
    List<MigrationInfo> failed = Arrays.stream(info.all()).filter(m -> m.getState().isFailed()).toList();
    if (!failed.isEmpty()) {
      throw new InfrastructureException(operation, "migration " + failed.get(0).getVersion() + " ("
          + failed.get(0).getDescription() + ") failed on " + settings.location()
          + ": repair the database, then run `attune-worker migrate`");
    }
    if (info.pending().length > 0) {
      throw new InfrastructureException(operation, "the schema of " + settings.location() + " is at version "
          + version + ", older than this attune-worker needs (version " + known + "): run `attune-worker migrate`");
    }
  }

  /** Registration, heartbeats, status and cordon of workers. */
  public WorkerRegistry registry() {
    return workers;
  }

  /** Workers for scheduling and for people; candidates come from the runtimes index. */
  public WorkerDirectory directory() {
    return workers;
  }

  /**
   * The changes of the workers, whoever made them, for a scheduler's copy of the fleet
   * ({@link io.attune.worker.core.fleet.FleetView}).
   */
  public WorkerChanges workerChanges() {
    return workerChanges;
  }

  /** Executions and the worker capacity they hold. */
  public ExecutionStore executions() {
    return executions;
  }

  /** User accounts. */
  public UserStore users() {
    return users;
  }

  /** The pool, for tools and tests that need plain JDBC. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** Closes the pool. */
  @Override
  public void close() {
    dataSource.close();
  }

  private Flyway flyway() {
    return Flyway.configure(PostgresAdapter.class.getClassLoader())
        .dataSource(dataSource)
        .locations(MIGRATIONS)
        .failOnMissingLocations(true)
        .load();
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }

  private static String withoutPassword(String message, PostgresSettings settings) {
    return settings.password().isEmpty() ? message : message.replace(settings.password(), "****");
  }
}
