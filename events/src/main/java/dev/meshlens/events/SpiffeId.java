package dev.meshlens.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A SPIFFE ID, parsed into the parts the naming template of its mesh gives it.
 *
 * <p>Istio: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>}. Consul:
 * {@code spiffe://<trust-domain>/[ap/<partition>/]ns/<namespace>/dc/<datacenter>/svc/<service>}.
 * Anything else that is a valid SPIFFE ID stays {@link Template#GENERIC}.
 *
 * @param trustDomain the trust domain (lower case)
 * @param path the path, starting with '/', or empty for a trust-domain-only ID
 * @param template which naming template the path follows
 * @param namespace Kubernetes or Consul namespace, when the template has one
 * @param serviceAccount Istio service account
 * @param partition Consul admin partition (null when the ID has none, i.e. the default partition)
 * @param datacenter Consul datacenter
 * @param service Consul service name
 */
public record SpiffeId(
    String trustDomain,
    String path,
    Template template,
    String namespace,
    String serviceAccount,
    String partition,
    String datacenter,
    String service) {

  /** Naming templates meshlens recognises. */
  public enum Template { ISTIO, CONSUL, GENERIC }

  static final String SCHEME = "spiffe://";
  static final int MAX_LENGTH = 2048;

  public SpiffeId {
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(template, "template");
  }

  /** Builds an Istio identity. */
  public static SpiffeId istio(String trustDomain, String namespace, String serviceAccount) {
    return parse(SCHEME + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount);
  }

  /** Builds a Consul service identity; {@code partition} may be null for the default partition. */
  public static SpiffeId consul(String trustDomain, String partition, String namespace, String datacenter,
      String service) {
    String ap = partition == null ? "" : "/ap/" + partition;
    return parse(SCHEME + trustDomain + ap + "/ns/" + namespace + "/dc/" + datacenter + "/svc/" + service);
  }

  /** Parses without throwing; null when the input is null, blank or not a valid SPIFFE ID. */
  public static SpiffeId tryParse(String uri) {
    if (uri == null || uri.isBlank() || "-".equals(uri)) {
      return null;
    }
    try {
      return parse(uri);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Parses a SPIFFE ID.
   *
   * @throws IllegalArgumentException with a message that says what is wrong
   */
  public static SpiffeId parse(String uri) {
    if (uri == null) {
      throw new IllegalArgumentException("SPIFFE ID is missing");
    }
    if (uri.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("SPIFFE ID is longer than " + MAX_LENGTH + " characters");
    }
    if (!uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new IllegalArgumentException("'" + uri + "' is not a SPIFFE ID: it must start with 'spiffe://'");
    }
    if (!uri.startsWith(SCHEME)) {
      throw new IllegalArgumentException("'" + uri + "': the scheme must be lower-case 'spiffe'");
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    String td = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    if (td.isEmpty()) {
      throw new IllegalArgumentException("'" + uri + "' has an empty trust domain");
    }
    for (int i = 0; i < td.length(); i++) {
      char c = td.charAt(i);
      if (c == ':') {
        throw new IllegalArgumentException("'" + uri + "': the trust domain must not contain a port");
      }
      if (c == '@') {
        throw new IllegalArgumentException("'" + uri + "': the trust domain must not contain user info");
      }
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_')) {
        throw new IllegalArgumentException("'" + uri + "': trust domain character '" + c
            + "' at position " + (SCHEME.length() + i)
            + " is not allowed (only lower-case letters, digits, '.', '-' and '_')");
      }
    }
    if (path.indexOf('?') >= 0 || path.indexOf('#') >= 0) {
      throw new IllegalArgumentException("'" + uri + "': a SPIFFE ID must not have a query or fragment");
    }
    List<String> segs = new ArrayList<>();
    if (!path.isEmpty()) {
      if (path.endsWith("/")) {
        throw new IllegalArgumentException("'" + uri + "': the path must not end with '/'");
      }
      int start = 1;
      while (start <= path.length()) {
        int end = path.indexOf('/', start);
        if (end < 0) {
          end = path.length();
        }
        String seg = path.substring(start, end);
        if (seg.isEmpty()) {
          throw new IllegalArgumentException("'" + uri + "': the path has an empty segment");
        }
        if (seg.equals(".") || seg.equals("..")) {
          throw new IllegalArgumentException("'" + uri + "': the path must not contain '.' or '..' segments");
        }
        for (int i = 0; i < seg.length(); i++) {
          char c = seg.charAt(i);
          if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '.' || c == '-' || c == '_')) {
            throw new IllegalArgumentException("'" + uri + "': path character '" + c + "' in segment '" + seg
                + "' is not allowed (only letters, digits, '.', '-' and '_')");
          }
        }
        segs.add(seg);
        start = end + 1;
      }
    }
    return classify(td, path, segs);
  }

  private static SpiffeId classify(String td, String path, List<String> s) {
    if (s.size() == 4 && s.get(0).equals("ns") && s.get(2).equals("sa")) {
      return new SpiffeId(td, path, Template.ISTIO, s.get(1), s.get(3), null, null, null);
    }
    if (s.size() == 6 && s.get(0).equals("ns") && s.get(2).equals("dc") && s.get(4).equals("svc")) {
      return new SpiffeId(td, path, Template.CONSUL, s.get(1), null, null, s.get(3), s.get(5));
    }
    if (s.size() == 8 && s.get(0).equals("ap") && s.get(2).equals("ns") && s.get(4).equals("dc")
        && s.get(6).equals("svc")) {
      return new SpiffeId(td, path, Template.CONSUL, s.get(3), null, s.get(1), s.get(5), s.get(7));
    }
    return new SpiffeId(td, path, Template.GENERIC, null, null, null, null, null);
  }

  /** The workload's name: Istio service account or Consul service; null for generic IDs. */
  public String workloadName() {
    return switch (template) {
      case ISTIO -> serviceAccount;
      case CONSUL -> service;
      case GENERIC -> null;
    };
  }

  /** True when the trust domain looks like Consul's generated {@code <uuid>.consul}. */
  public boolean isConsulTrustDomain() {
    return trustDomain.endsWith(".consul");
  }

  /** The URI form, {@code spiffe://td/path}. */
  public String uri() {
    return SCHEME + trustDomain + path;
  }

  @Override
  public String toString() {
    return uri();
  }
}
