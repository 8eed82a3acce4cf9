package io.attune.worker.adapter.postgres.archfixture;

import io.attune.worker.adapter.local.packs.PacksDirectoryCatalog;
import java.nio.file.Path;

/** Deliberately makes one adapter use another. Test sources only. */
public final class ReachesIntoTheLocalAdapter {
  public Object catalog() {
    return PacksDirectoryCatalog.load(Path.of("packs"));
  }
}
