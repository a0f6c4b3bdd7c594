package dev.meshlens.events.fix;

import java.util.Locale;
import java.util.Map;

/**
 * The one place that maps a mesh kind (wire name) to its remediation dialect. When mesh kinds
 * become profiles ({@code dev.meshlens.events.mesh}), this map moves into the profile's dialect slot.
 */
public final class FixDialects {
  private FixDialects() {}

  private static final Map<String, FixDialect> BY_KIND = Map.of(
      "istio", new IstioFixes(),
      "consul", new ConsulFixes());
  private static final FixDialect DESCRIBED = new DescribedFixes();

  /** The dialect of a kind; described steps for a kind without one (or an unknown kind). */
  public static FixDialect of(String kind) {
    return kind == null ? DESCRIBED : BY_KIND.getOrDefault(kind.toLowerCase(Locale.ROOT), DESCRIBED);
  }
}
