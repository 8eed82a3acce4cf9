package io.attune.worker.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.attune.worker.adapter.http.archfixture.HttpReachesIntoPostgres;
import io.attune.worker.adapter.http.archfixture.PublicMeterBesideTheFacade;
import io.attune.worker.adapter.postgres.archfixture.PublicStoreBesideTheFacade;
import io.attune.worker.adapter.postgres.archfixture.ReachesIntoTheLocalAdapter;
import io.attune.worker.adapter.postgres.archfixture.SetsTheLogLevelItself;
import io.attune.worker.adapter.rabbitmq.in.archfixture.ConsumerDispatchingItself;
import io.attune.worker.bootstrap.archfixture.ReachesIntoTheRabbitPlumbing;
import io.attune.worker.core.archfixture.CycleLeft;
import io.attune.worker.core.archfixture.LeakyCoreClass;
import io.attune.worker.core.archfixture.cycle.CycleRight;
import io.attune.worker.core.model.archfixture.ModelReachingForAService;
import io.attune.worker.core.port.archfixture.PortReachingForAService;
import io.attune.worker.core.service.archfixture.ServiceUsingTheInMemoryStore;
import org.junit.jupiter.api.Test;

/** Evaluates the rules against deliberately bad classes: a rule that cannot fail protects nothing. */
class RulesBiteTest {

  private static final JavaClasses BAD = new ClassFileImporter().importClasses(LeakyCoreClass.class,
      ReachesIntoTheLocalAdapter.class, CycleLeft.class, CycleRight.class,
      io.attune.worker.adapter.local.packs.PacksDirectoryCatalog.class, ModelReachingForAService.class,
      PortReachingForAService.class, ServiceUsingTheInMemoryStore.class, PublicStoreBesideTheFacade.class,
      SetsTheLogLevelItself.class, HttpReachesIntoPostgres.class, PublicMeterBesideTheFacade.class,
      ReachesIntoTheRabbitPlumbing.class, ConsumerDispatchingItself.class);

  @Test
  void a_core_class_importing_a_library_breaks_the_core_rule() {
    assertViolation(ArchitectureRules.core_depends_only_on_the_jdk, "ObjectMapper");
  }

  @Test
  void a_core_class_printing_to_standard_out_breaks_the_stream_rule() {
    assertViolation(ArchitectureRules.core_uses_no_standard_streams, "System.out");
  }

  @Test
  void a_core_class_throwing_runtime_exception_breaks_the_exception_rule() {
    assertViolation(ArchitectureRules.core_throws_no_generic_exceptions, "RuntimeException");
  }

  @Test
  void an_adapter_importing_another_adapter_breaks_the_adapter_rule() {
    assertViolation(ArchitectureRules.postgres_adapter_uses_no_other_adapter, "PacksDirectoryCatalog");
  }

  @Test
  void another_module_using_the_rabbitmq_plumbing_breaks_the_facade_rule() {
    assertViolation(ArchitectureRules.other_modules_use_only_the_rabbitmq_facade, "Publisher");
  }

  @Test
  void a_consumer_reaching_the_outbound_side_breaks_the_sides_rule() {
    assertViolation(ArchitectureRules.inbound_sides_use_no_outbound_side, "RabbitDispatcher");
  }

  @Test
  void an_adapter_configuring_logback_breaks_the_logging_backend_rule() {
    assertViolation(ArchitectureRules.only_bootstrap_logging_knows_the_logging_backend, "SetsTheLogLevelItself");
  }

  @Test
  void the_http_adapter_importing_another_adapter_breaks_its_adapter_rule() {
    assertViolation(ArchitectureRules.http_adapter_uses_no_other_adapter, "PostgresSettings");
  }

  @Test
  void a_public_implementation_class_in_the_http_adapter_breaks_its_facade_rule() {
    assertViolation(ArchitectureRules.http_implementations_are_package_private, "PublicMeterBesideTheFacade");
  }

  @Test
  void a_public_implementation_class_in_an_adapter_breaks_the_facade_rule() {
    assertViolation(ArchitectureRules.postgres_implementations_are_package_private, "PublicStoreBesideTheFacade");
  }

  @Test
  void the_facade_rule_lets_the_bad_classes_it_does_not_concern_be() {
    // a public class of another adapter, or of the core, is not this rule's business
    assertThat(ArchitectureRules.postgres_implementations_are_package_private.evaluate(BAD).getFailureReport()
        .toString()).doesNotContain("PacksDirectoryCatalog").doesNotContain("LeakyCoreClass");
  }

  @Test
  void a_model_class_using_a_service_breaks_the_model_rule() {
    assertViolation(ArchitectureRules.core_model_uses_no_port_service_or_adapter, "ScheduleExecutionService");
  }

  @Test
  void a_port_naming_its_implementation_breaks_the_port_rule() {
    assertViolation(ArchitectureRules.core_ports_use_no_service_or_adapter, "RunExecutionService");
  }

  @Test
  void a_service_tied_to_the_in_memory_store_breaks_the_service_rule() {
    assertViolation(ArchitectureRules.core_services_use_ports_not_adapters, "InMemoryExecutionStore");
  }

  @Test
  void two_packages_using_each_other_break_the_cycle_rule() {
    assertViolation(ArchitectureRules.packages_are_free_of_cycles, "Cycle detected");
  }

  private static void assertViolation(ArchRule rule, String expectedInReport) {
    EvaluationResult result = rule.evaluate(BAD);
    assertThat(result.hasViolation()).as("rule %s on the bad classes", rule.getDescription()).isTrue();
    assertThat(result.getFailureReport().toString()).contains(expectedInReport);
  }
}
