package io.attune.worker.adapter.postgres;

import static io.attune.worker.adapter.postgres.jooq.Tables.EXECUTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

class RenderedSqlTest {

  private final DSLContext dsl = DSL.using(SQLDialect.POSTGRES);

  @Test
  void a_statement_with_named_parameters_and_inlined_literals_renders_with_one_placeholder_per_parameter() {
    RenderedSql sql = RenderedSql.of(dsl, dsl.selectFrom(EXECUTION)
        .where(EXECUTION.ID.eq(DSL.param("id", EXECUTION.ID)))
        .and(EXECUTION.STATUS.eq(DSL.inline("requested"))));

    assertThat(sql.toString()).contains("= ?").contains("'requested'");
    assertThat(sql.toString().chars().filter(c -> c == '?')).hasSize(1);
  }

  @Test
  void an_unnamed_bind_value_is_refused_so_that_no_value_is_bound_to_the_wrong_placeholder() {
    assertThatThrownBy(() -> RenderedSql.of(dsl, dsl.selectFrom(EXECUTION).where(EXECUTION.ID.eq(5L))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named once");
  }

  @Test
  void a_name_used_twice_is_refused() {
    assertThatThrownBy(() -> RenderedSql.of(dsl, dsl.selectFrom(EXECUTION)
        .where(EXECUTION.ID.eq(DSL.param("id", EXECUTION.ID)))
        .or(EXECUTION.WORKER.eq(DSL.param("id", EXECUTION.ID)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("named once");
  }
}
