package io.attune.worker.bootstrap.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The whole product, main classes only, against the layering rules. */
@AnalyzeClasses(packages = "io.attune.worker", importOptions = {ImportOption.DoNotIncludeTests.class,
    LayeringTest.WithoutGeneratedCode.class})
class LayeringTest {

  @ArchTest
  static final ArchRule core_depends_only_on_the_jdk = ArchitectureRules.core_depends_only_on_the_jdk;
  @ArchTest
  static final ArchRule core_uses_no_standard_streams = ArchitectureRules.core_uses_no_standard_streams;
  @ArchTest
  static final ArchRule core_throws_no_generic_exceptions = ArchitectureRules.core_throws_no_generic_exceptions;
  @ArchTest
  static final ArchRule core_model_uses_no_port_service_or_adapter =
      ArchitectureRules.core_model_uses_no_port_service_or_adapter;
  @ArchTest
  static final ArchRule core_ports_use_no_service_or_adapter = ArchitectureRules.core_ports_use_no_service_or_adapter;
  @ArchTest
  static final ArchRule core_services_use_ports_not_adapters = ArchitectureRules.core_services_use_ports_not_adapters;
  @ArchTest
  static final ArchRule postgres_adapter_uses_no_other_adapter =
      ArchitectureRules.postgres_adapter_uses_no_other_adapter;
  @ArchTest
  static final ArchRule rabbitmq_adapter_uses_no_other_adapter =
      ArchitectureRules.rabbitmq_adapter_uses_no_other_adapter;
  @ArchTest
  static final ArchRule local_adapter_uses_no_other_adapter = ArchitectureRules.local_adapter_uses_no_other_adapter;
  @ArchTest
  static final ArchRule postgres_implementations_are_package_private =
      ArchitectureRules.postgres_implementations_are_package_private;
  @ArchTest
  static final ArchRule other_modules_use_only_the_rabbitmq_facade =
      ArchitectureRules.other_modules_use_only_the_rabbitmq_facade;
  @ArchTest
  static final ArchRule inbound_sides_use_no_outbound_side = ArchitectureRules.inbound_sides_use_no_outbound_side;
  @ArchTest
  static final ArchRule outbound_sides_use_no_inbound_side = ArchitectureRules.outbound_sides_use_no_inbound_side;
  @ArchTest
  static final ArchRule rabbitmq_plumbing_knows_neither_side = ArchitectureRules.rabbitmq_plumbing_knows_neither_side;
  @ArchTest
  static final ArchRule http_adapter_uses_no_other_adapter = ArchitectureRules.http_adapter_uses_no_other_adapter;
  @ArchTest
  static final ArchRule http_implementations_are_package_private =
      ArchitectureRules.http_implementations_are_package_private;
  @ArchTest
  static final ArchRule packages_are_free_of_cycles = ArchitectureRules.packages_are_free_of_cycles;
  @ArchTest
  static final ArchRule no_java_util_logging = ArchitectureRules.no_java_util_logging;
  @ArchTest
  static final ArchRule only_bootstrap_logging_knows_the_logging_backend =
      ArchitectureRules.only_bootstrap_logging_knows_the_logging_backend;
  @ArchTest
  static final ArchRule no_field_injection = ArchitectureRules.no_field_injection;

  /**
   * jOOQ's generated classes reference each other freely; they are not ours to layer. Nor is the test code on this
   * test's class path that DoNotIncludeTests knows only as folders: the core's test jar, and the test-support module,
   * whose main classes are test fixtures (a test-scoped dependency, never part of the product).
   */
  static final class WithoutGeneratedCode implements ImportOption {
    @Override
    public boolean includes(com.tngtech.archunit.core.importer.Location location) {
      return !location.contains("/io/attune/worker/adapter/postgres/jooq/") && !location.contains("-tests.jar")
          && !location.contains("/test-classes/") && !location.contains("/io/attune/worker/testsupport/");
    }
  }
}
