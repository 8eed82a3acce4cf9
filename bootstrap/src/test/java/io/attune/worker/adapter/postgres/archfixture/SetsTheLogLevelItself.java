package io.attune.worker.adapter.postgres.archfixture;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Deliberately bad: an adapter that reaches past SLF4J into Logback to set its own level. */
public final class SetsTheLogLevelItself {

  private SetsTheLogLevelItself() {
  }

  static void quiet() {
    ((Logger) LoggerFactory.getLogger(SetsTheLogLevelItself.class)).setLevel(Level.WARN);
  }
}
