package io.attune.worker.core.archfixture;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Deliberately breaks the core's rules, so that a test can show the rules catch it. Test sources only. */
public final class LeakyCoreClass {

  public String leak(Object value) throws Exception {
    System.out.println("printing from the core");
    if (value == null) {
      throw new RuntimeException("generic");
    }
    return new ObjectMapper().writeValueAsString(value);
  }
}
