package io.attune.worker.adapter.postgres.archfixture;

/** Deliberately a public implementation class beside the adapter's facade. Test sources only. */
public final class PublicStoreBesideTheFacade {
  public int count() {
    return 0;
  }
}
