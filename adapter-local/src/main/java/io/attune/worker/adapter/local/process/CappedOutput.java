package io.attune.worker.adapter.local.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * One output stream of a child process: the first {@code cap} bytes are kept, the rest is read and counted, so
 * the child never blocks on a full pipe however much it writes.
 */
public final class CappedOutput {

  private final int cap;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private long omitted;

  public CappedOutput(long cap) {
    this.cap = Math.toIntExact(cap);
  }

  /** Reads the stream to its end (or until it is closed under us). */
  public void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      int read;
      while ((read = in.read(buffer)) != -1) {
        append(buffer, read);
      }
    } catch (IOException closed) {
      // the process tree was killed or the stream closed: keep what arrived
    }
  }

  private synchronized void append(byte[] buffer, int read) {
    int room = Math.min(read, cap - kept.size());
    kept.write(buffer, 0, room);
    omitted += read - room;
  }

  public synchronized boolean truncated() {
    return omitted > 0;
  }

  /** What was kept, without a notice. */
  public synchronized String kept() {
    return kept.toString(StandardCharsets.UTF_8);
  }

  /** What was kept, with a notice at the end when bytes were dropped. */
  public synchronized String text() {
    String text = kept();
    return omitted == 0 ? text
        : text + "\n[output truncated: " + omitted + " bytes omitted, cap " + cap + " bytes]";
  }
}
