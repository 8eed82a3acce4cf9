package io.attune.worker.adapter.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.JSONB;
import org.jooq.Param;
import org.jooq.Query;

/**
 * A statement that jOOQ renders once, at start-up, and that runs with plain JDBC afterwards: rendering a statement
 * on every call was about a third of the execution path's CPU. Every bind value is a named parameter
 * ({@code DSL.param(name, field)}), each name used once, so that values are bound by name; a literal that is not
 * a parameter must be inlined ({@code DSL.inline}), which the constructor checks.
 */
final class RenderedSql {

  private final String sql;
  private final List<String> names;
  private final Set<String> nameSet;

  private RenderedSql(String sql, List<String> names) {
    this.sql = sql;
    this.names = names;
    this.nameSet = Set.copyOf(names);
  }

  /**
   * Renders the query.
   *
   * @throws IllegalArgumentException when a bind value is not a named parameter, or a name is used twice
   */
  static RenderedSql of(DSLContext dsl, Query query) {
    int binds = dsl.extractBindValues(query).size();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Param<?>> param : query.getParams().entrySet()) {
      if (!param.getValue().isInline()) {
        names.add(param.getKey());
      }
    }
    if (binds != names.size() || names.stream().anyMatch(n -> n.chars().allMatch(Character::isDigit))) {
      throw new IllegalArgumentException("every bind value must be a parameter named once, found names " + names
          + " for " + binds + " bind values in " + dsl.render(query));
    }
    return new RenderedSql(dsl.render(query), List.copyOf(names));
  }

  /** The statement prepared on the connection with the values bound; the caller closes it. */
  PreparedStatement prepare(Connection connection, Map<String, ?> values) throws SQLException {
    if (!values.keySet().equals(nameSet)) {
      throw new IllegalArgumentException("values for " + values.keySet() + " given, " + names + " expected");
    }
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < names.size(); i++) {
        Object value = values.get(names.get(i));
        if (value instanceof String[] texts) {
          statement.setArray(i + 1, connection.createArrayOf("text", texts));
        } else {
          statement.setObject(i + 1, jdbcValue(value));
        }
      }
      return statement;
    } catch (SQLException | RuntimeException failed) {
      statement.close();
      throw failed;
    }
  }

  private static Object jdbcValue(Object value) {
    if (value instanceof Instant instant) {
      return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
    if (value instanceof JSONB json) {
      return json.data();
    }
    return value;
  }

  @Override
  public String toString() {
    return sql;
  }
}
