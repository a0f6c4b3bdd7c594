package dev.meshlens.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kind of service mesh an event comes from; decides SPIFFE templates and log presets. */
public enum MeshKind {
  ISTIO, CONSUL, OTHER;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static MeshKind fromWire(String s) {
    if (s == null) {
      return null;
    }
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "istio" -> ISTIO;
      case "consul" -> CONSUL;
      case "other" -> OTHER;
      default -> throw new IllegalArgumentException("unknown mesh kind '" + s + "'; expected istio, consul or other");
    };
  }
}
