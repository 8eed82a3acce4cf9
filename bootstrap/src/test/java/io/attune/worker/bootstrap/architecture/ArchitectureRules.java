package io.attune.worker.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** The layering of the hexagon as ArchUnit rules, shared by the real check and the check that the rules bite. */
final class ArchitectureRules {

  static final String CORE = "io.attune.worker.core..";
  static final String POSTGRES = "io.attune.worker.adapter.postgres..";
  static final String RABBITMQ = "io.attune.worker.adapter.rabbitmq..";
  static final String CLI = "io.attune.worker.adapter.cli..";
  static final String BOOTSTRAP = "io.attune.worker.bootstrap..";

  private ArchitectureRules() {
  }

  static final ArchRule core_depends_only_on_the_jdk = classes()
      .that().resideInAPackage(CORE)
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE, "")
      .because("the core is a library with no dependencies: embedders bring only the JDK");

  static final ArchRule core_uses_no_standard_streams = noClasses()
      .that().resideInAPackage(CORE)
      .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
      .because("the core reports through return values and ports, never by printing");

  static final ArchRule core_throws_no_generic_exceptions = noClasses()
      .that().resideInAPackage(CORE)
      .should(GeneralCodingRules.THROW_GENERIC_EXCEPTIONS)
      .because("failures carry a type and data: ConfigurationException, InfrastructureException");

  static final ArchRule postgres_adapter_uses_no_other_adapter = noClasses()
      .that().resideInAPackage(POSTGRES)
      .should().dependOnClassesThat().resideInAnyPackage(RABBITMQ, CLI, BOOTSTRAP)
      .because("adapters depend on the core only");

  static final ArchRule rabbitmq_adapter_uses_no_other_adapter = noClasses()
      .that().resideInAPackage(RABBITMQ)
      .should().dependOnClassesThat().resideInAnyPackage(POSTGRES, CLI, BOOTSTRAP)
      .because("adapters depend on the core only");

  static final ArchRule cli_adapter_uses_no_other_adapter = noClasses()
      .that().resideInAPackage(CLI)
      .should().dependOnClassesThat().resideInAnyPackage(POSTGRES, RABBITMQ, BOOTSTRAP)
      .because("adapters depend on the core only");

  static final ArchRule packages_are_free_of_cycles = slices()
      .matching("io.attune.worker.(**)")
      .should().beFreeOfCycles()
      .because("a cycle between packages makes the layers meaningless");

  static final ArchRule no_java_util_logging = noClasses()
      .should(GeneralCodingRules.USE_JAVA_UTIL_LOGGING)
      .because("the adapters log through SLF4J");

  static final ArchRule no_field_injection = GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION
      .because("dependencies arrive through constructors, wired by hand in bootstrap");
}
