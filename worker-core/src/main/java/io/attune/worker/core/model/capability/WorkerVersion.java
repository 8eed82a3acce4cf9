package io.attune.worker.core.model.capability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this code, as the build wrote it from the POM: workers advertise it, the command line prints it. */
public final class WorkerVersion {

  private static final String RESOURCE = "worker-version.properties";
  private static final String CURRENT = load();

  private WorkerVersion() {
  }

  /** This build's version, e.g. {@code 0.1.0}. */
  public static String current() {
    return CURRENT;
  }

  private static String load() {
    try (InputStream in = WorkerVersion.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path: a broken build");
      }
      Properties properties = new Properties();
      properties.load(in);
      String version = properties.getProperty("version", "");
      if (version.isBlank() || version.contains("${")) {
        throw new IllegalStateException(RESOURCE + " says version='" + version + "': the build did not filter it");
      }
      return version.strip();
    } catch (IOException unreadable) {
      throw new UncheckedIOException(RESOURCE + " cannot be read", unreadable);
    }
  }
}
