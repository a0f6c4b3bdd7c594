package dev.meshlens.query.config;

import java.util.Objects;

/**
 * One documented configuration key: dotted name, type, default (null = required unless
 * {@code optional}), whether it is a secret, and the documentation shown in errors and docs.
 */
public record ConfigKey(String name, Type type, Object defaultValue, boolean optional, boolean secret, String doc) {

  /** Value types a key can have. */
  public enum Type {
    STRING("a string"),
    INT("an integer"),
    BOOLEAN("true or false"),
    DURATION("a duration such as 500ms, 30s, 15m, 1h or 7d"),
    LIST("a list of strings (YAML list or comma-separated string)"),
    MAP("a mapping of string keys to scalar values"),
    TOKENS("a list of {name, sha256, meshes | admin} entries");

    final String expected;

    Type(String expected) {
      this.expected = expected;
    }
  }

  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(doc, "doc");
  }

  static ConfigKey required(String name, Type type, String doc) {
    return new ConfigKey(name, type, null, false, false, doc);
  }

  static ConfigKey of(String name, Type type, Object def, String doc) {
    return new ConfigKey(name, type, def, true, false, doc);
  }

  static ConfigKey optional(String name, Type type, String doc) {
    return new ConfigKey(name, type, null, true, false, doc);
  }

  static ConfigKey secret(String name, String doc) {
    return new ConfigKey(name, Type.STRING, null, true, true, doc);
  }
}
