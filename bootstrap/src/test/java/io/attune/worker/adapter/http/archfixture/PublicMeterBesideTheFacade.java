package io.attune.worker.adapter.http.archfixture;

/** Deliberately a public implementation class beside the HTTP adapter's facade. Test sources only. */
public final class PublicMeterBesideTheFacade {
  public double value() {
    return 0;
  }
}
