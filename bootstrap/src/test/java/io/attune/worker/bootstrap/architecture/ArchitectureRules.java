package io.attune.worker.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import io.attune.worker.adapter.http.in.OperationsServer;
import io.attune.worker.adapter.http.out.Metrics;
import io.attune.worker.adapter.postgres.DatabaseClock;
import io.attune.worker.adapter.postgres.MigrationReport;
import io.attune.worker.adapter.postgres.PostgresAdapter;
import io.attune.worker.adapter.postgres.PostgresSettings;
import io.attune.worker.adapter.rabbitmq.RabbitAdapter;
import io.attune.worker.adapter.rabbitmq.broker.RabbitSettings;
import io.attune.worker.adapter.rabbitmq.broker.RabbitTopology;
import io.attune.worker.adapter.rabbitmq.broker.ResultMessage;
import io.attune.worker.adapter.rabbitmq.broker.Subscription;
import io.attune.worker.adapter.rabbitmq.broker.WorkerQueues;
import io.attune.worker.adapter.rabbitmq.in.DispatchConsumer;
import io.attune.worker.adapter.rabbitmq.in.ResultHandler;
import io.attune.worker.adapter.rabbitmq.out.ExecutionRequests;
import io.attune.worker.adapter.rabbitmq.out.ResultAnnouncements;

/** The layering of the hexagon as ArchUnit rules, shared by the real check and the check that the rules bite. */
final class ArchitectureRules {

  static final String CORE = "io.attune.worker.core..";
  static final String POSTGRES = "io.attune.worker.adapter.postgres..";
  static final String RABBITMQ = "io.attune.worker.adapter.rabbitmq..";
  static final String RABBITMQ_FACADE = "io.attune.worker.adapter.rabbitmq";
  static final String ADAPTER_IN = "io.attune.worker.adapter.*.in..";
  static final String ADAPTER_OUT = "io.attune.worker.adapter.*.out..";
  static final String RABBITMQ_BROKER = "io.attune.worker.adapter.rabbitmq.broker..";
  static final String LOCAL = "io.attune.worker.adapter.local..";
  static final String HTTP = "io.attune.worker.adapter.http..";
  static final String BOOTSTRAP = "io.attune.worker.bootstrap..";
  static final String CORE_MODEL = "io.attune.worker.core.model..";
  static final String CORE_PORTS = "io.attune.worker.core.port..";
  static final String CORE_SERVICES = "io.attune.worker.core.service..";
  /** A scheduler's copy of the fleet: an implementation of a port, held to the rules it had while in service. */
  static final String CORE_FLEET = "io.attune.worker.core.fleet..";
  static final String CORE_IN_MEMORY = "io.attune.worker.core.adapter..";
  static final String CORE_TESTKIT = "io.attune.worker.core.testkit..";

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

  static final ArchRule core_model_uses_no_port_service_or_adapter = noClasses()
      .that().resideInAPackage(CORE_MODEL)
      .should().dependOnClassesThat()
      .resideInAnyPackage(CORE_PORTS, CORE_SERVICES, CORE_FLEET, CORE_IN_MEMORY, CORE_TESTKIT)
      .because("the model is the innermost ring: values and rules that anything may use and that use nothing");

  static final ArchRule core_ports_use_no_service_or_adapter = noClasses()
      .that().resideInAPackage(CORE_PORTS)
      .should().dependOnClassesThat().resideInAnyPackage(CORE_SERVICES, CORE_FLEET, CORE_IN_MEMORY, CORE_TESTKIT)
      .because("a port says what the core needs or offers, not who provides it");

  static final ArchRule core_services_use_ports_not_adapters = noClasses()
      .that().resideInAPackage(CORE_SERVICES)
      .should().dependOnClassesThat().resideInAnyPackage(CORE_IN_MEMORY, CORE_TESTKIT)
      .because("use cases talk to ports, so that PostgreSQL, RabbitMQ or an embedder's adapter can stand in");

  static final ArchRule postgres_adapter_uses_no_other_adapter = noClasses()
      .that().resideInAPackage(POSTGRES)
      .should().dependOnClassesThat().resideInAnyPackage(RABBITMQ, LOCAL, HTTP, BOOTSTRAP)
      .because("adapters depend on the core only");

  static final ArchRule rabbitmq_adapter_uses_no_other_adapter = noClasses()
      .that().resideInAPackage(RABBITMQ)
      .should().dependOnClassesThat().resideInAnyPackage(POSTGRES, LOCAL, HTTP, BOOTSTRAP)
      .because("adapters depend on the core only");

  static final ArchRule local_adapter_uses_no_other_adapter = noClasses()
      .that().resideInAPackage(LOCAL)
      .should().dependOnClassesThat().resideInAnyPackage(POSTGRES, RABBITMQ, HTTP, BOOTSTRAP)
      .because("adapters depend on the core only");

  static final ArchRule http_adapter_uses_no_other_adapter = noClasses()
      .that().resideInAPackage(HTTP)
      .should().dependOnClassesThat().resideInAnyPackage(POSTGRES, RABBITMQ, LOCAL, BOOTSTRAP)
      .because("adapters depend on the core only: the meters learn what happens through the core's observer port");

  /**
   * The PostgreSQL adapter's facade: the adapter, its settings, and the types its methods hand out. The stores,
   * the registry, the codec and the row mapping stay package-private behind it.
   */
  static final ArchRule postgres_implementations_are_package_private = implementationsArePackagePrivate(POSTGRES,
      PostgresAdapter.class, PostgresSettings.class, MigrationReport.class, DatabaseClock.class);

  /**
   * The RabbitMQ adapter's facade: the adapter, its settings and topology names, and the ports and messages its
   * methods hand out. Its inbound side ({@code in}: the consumers that drive the core's use cases), its outbound side
   * ({@code out}: the core's out-ports over RabbitMQ) and the plumbing both share ({@code broker}: the connection,
   * publishing with confirms, the topology and the message codec) are public to each other, so the rule is on what
   * other modules use: only the facade.
   */
  static final ArchRule other_modules_use_only_the_rabbitmq_facade = noClasses()
      .that().resideOutsideOfPackage(RABBITMQ)
      .should().dependOnClassesThat(DescribedPredicate.and(JavaClass.Predicates.resideInAPackage(RABBITMQ),
          DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(RabbitAdapter.class, RabbitSettings.class,
              RabbitTopology.class, DispatchConsumer.class, ExecutionRequests.class, ResultAnnouncements.class,
              WorkerQueues.class, ResultHandler.class, ResultMessage.class, Subscription.class))))
      .because("other modules reach the adapter's implementations through the ports its facade hands out, so it can "
          + "be reshaped inside without breaking them");

  /**
   * An adapter's inbound side (its {@code in} package: what drives the core's use cases) never uses its outbound
   * side (its {@code out} package: the core's out-ports) nor the facade that wires both: a consumer or an endpoint
   * reaches the outbound side only through the core.
   */
  static final ArchRule inbound_sides_use_no_outbound_side = noClasses()
      .that().resideInAPackage(ADAPTER_IN)
      .should().dependOnClassesThat().resideInAPackage(ADAPTER_OUT)
      .orShould().dependOnClassesThat().resideInAPackage(RABBITMQ_FACADE)
      .because("a consumer drives the core's use cases, which reach the outbound side through the core's ports");

  /** An adapter's outbound side is driven by the core, never by its inbound side, nor does it know the facade. */
  static final ArchRule outbound_sides_use_no_inbound_side = noClasses()
      .that().resideInAPackage(ADAPTER_OUT)
      .should().dependOnClassesThat().resideInAPackage(ADAPTER_IN)
      .orShould().dependOnClassesThat().resideInAPackage(RABBITMQ_FACADE)
      .because("an out-port implementation is driven by the core, never by a consumer");

  static final ArchRule rabbitmq_plumbing_knows_neither_side = noClasses()
      .that().resideInAPackage(RABBITMQ_BROKER)
      .should().dependOnClassesThat().resideInAnyPackage("io.attune.worker.adapter.rabbitmq.in..",
          "io.attune.worker.adapter.rabbitmq.out..", RABBITMQ_FACADE)
      .because("the connection, publishing and the codec serve both sides and depend on neither");

  /**
   * The HTTP adapter's facade: the meters and the server. The observer that turns the core's events into meters and
   * the endpoints' handlers stay package-private.
   */
  static final ArchRule http_implementations_are_package_private = implementationsArePackagePrivate(HTTP,
      Metrics.class, OperationsServer.class);

  /**
   * Only the facade of an adapter is public: other modules reach its implementations through the ports the facade
   * hands out, so an adapter can be reshaped inside without breaking them. Generated jOOQ classes are exempt.
   *
   * @param adapterPackages the adapter's packages, e.g. {@code io.attune.worker.adapter.postgres..}
   * @param facade the types that may be public, with their nested types
   */
  static ArchRule implementationsArePackagePrivate(String adapterPackages, Class<?>... facade) {
    return noClasses()
        .that().resideInAPackage(adapterPackages)
        .and().resideOutsideOfPackage("..jooq..")
        .and(DescribedPredicate.not(JavaClass.Predicates.belongToAnyOf(facade)))
        .should().bePublic()
        .because("an adapter's implementation classes are package-private behind its facade; only the facade, "
            + "its settings and the types it hands out are public");
  }

  static final ArchRule packages_are_free_of_cycles = slices()
      .matching("io.attune.worker.(**)")
      .should().beFreeOfCycles()
      .because("a cycle between packages makes the layers meaningless");

  static final ArchRule no_java_util_logging = noClasses()
      .should(GeneralCodingRules.USE_JAVA_UTIL_LOGGING)
      .because("the adapters log through SLF4J");

  static final ArchRule only_bootstrap_logging_knows_the_logging_backend = noClasses()
      .that().resideOutsideOfPackage("io.attune.worker.bootstrap.logging..")
      .should().dependOnClassesThat().resideInAnyPackage("ch.qos.logback..", "net.logstash.logback..")
      .because("everything logs through SLF4J; the backend and its set-up (ATTUNE_LOG_*) are the composition "
          + "root's choice, and an embedder brings its own");

  static final ArchRule no_field_injection = GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION
      .because("dependencies arrive through constructors, wired by hand in bootstrap");
}
