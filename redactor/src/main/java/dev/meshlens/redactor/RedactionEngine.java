package dev.meshlens.redactor;

import dev.meshlens.events.CertificateInfo;
import dev.meshlens.events.FailureCategory;
import dev.meshlens.events.MeshEvent;
import dev.meshlens.events.Redaction;
import dev.meshlens.events.RejectedBy;
import dev.meshlens.events.StatsDelta;
import dev.meshlens.events.TlsFailure;
import dev.meshlens.events.TrustBundle;
import dev.meshlens.redactor.detect.DetectorKind;
import dev.meshlens.redactor.detect.Detectors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link RedactionPolicy} to events. {@link #redact(MeshEvent)} returns a new event with
 * only the fields the policy allows, in the form it allows, every kept string passed through the
 * detectors, and a {@link Redaction} block (policy id and version, per-rule counts; never values).
 *
 * <p>Thread-safe and immutable: share one engine. Never throws for an event: if something goes
 * wrong inside, the event is published "closed" (only its required ids and times) and the error
 * is counted.
 *
 * <p>Rule names in counts and metrics: {@code field.<name>} for a field the policy masks, hashes,
 * generalises or drops; {@code deny.<name>} for a present field the policy does not name
 * ({@code deny.attributes} for headers); {@code detector.<name>} for detector hits;
 * {@code error} for an event published closed.
 */
public final class RedactionEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RedactionEngine.class);

    /** Metric: values acted on, tags mesh, rule, action. */
    public static final String METRIC_FIELDS = "meshlens.redaction.fields";
    /** Metric: events published closed because redaction failed (tags mesh, reason). */
    public static final String METRIC_ERRORS = "meshlens.redaction.errors";

    private static final Set<String> CREDENTIAL_HEADERS = Set.of(
            "authorization",
            "proxy-authorization",
            "x-api-key",
            "api-key",
            "x-auth-token",
            "x-access-token",
            "x-amz-security-token",
            "x-goog-api-key");

    private final RedactionPolicy policy;
    private final HashKey key;
    private final MeterRegistry registry;
    private final Detectors detectors;
    private final Detectors networkDetectors;
    private final Plan[] plans;
    private final Plan[] tlsPlans;
    private final Field[] denied;
    private final int[] deniedIndex;
    private final Map<String, Plan> attrPlans;
    private final Plan attrDefault;
    private final int denyAttributesIndex;
    private final int errorIndex;
    private final int userinfoIndex;
    private final String[] ruleNames;
    private final String[] ruleActions;
    private final Redaction empty;
    private final ConcurrentHashMap<String, Counter[]> counters = new ConcurrentHashMap<>();
    private final ThreadLocal<int[]> scratch;
    /** Redaction blocks by their counts: events of one kind produce the same counts again and again. */
    private final ConcurrentHashMap<CountsKey, Redaction> redactions = new ConcurrentHashMap<>();

    private static final int MAX_CACHED_REDACTIONS = 4096;

    /** Map key over a counts array (the array is copied when the key is stored). */
    private static final class CountsKey {
        private final int[] c;
        private final int hash;

        CountsKey(int[] c) {
            this.c = c;
            this.hash = Arrays.hashCode(c);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CountsKey k && k.hash == hash && Arrays.equals(k.c, c);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** One compiled field rule. */
    private record Plan(
            String name,
            Field field,
            Action action,
            Generalisation gen,
            int hashLength,
            int v4,
            int v6,
            int index,
            boolean credentialHeader,
            boolean cookieHeader) {}

    /** An engine without metrics; {@code key} may be null when the policy hashes nothing or names its own key. */
    public RedactionEngine(RedactionPolicy policy, HashKey key) {
        this(policy, key, null);
    }

    /**
     * @param policy the policy
     * @param key the hash key; null to use the policy's {@code hash_key} (required when the policy hashes)
     * @param registry where {@value #METRIC_FIELDS} and {@value #METRIC_ERRORS} are counted; may be null
     * @throws IllegalArgumentException when the policy hashes a field and no key is available
     */
    public RedactionEngine(RedactionPolicy policy, HashKey key, MeterRegistry registry) {
        this(policy, key, registry, DEFAULT_CLEAN_CACHE_SIZE);
    }

    /** Slots of the cache of strings known to be clean (see {@link Builder#cleanCacheSize(int)}). */
    public static final int DEFAULT_CLEAN_CACHE_SIZE = 4096;

    /** A builder for the less common options. */
    public static Builder builder(RedactionPolicy policy) {
        return new Builder(policy);
    }

    /** Builder of {@link RedactionEngine}. */
    public static final class Builder {
        private final RedactionPolicy policy;
        private HashKey key;
        private MeterRegistry registry;
        private int cleanCacheSize = DEFAULT_CLEAN_CACHE_SIZE;

        private Builder(RedactionPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /** The hash key; default: the policy's {@code hash_key}. */
        public Builder hashKey(HashKey key) {
            this.key = key;
            return this;
        }

        /** Where metrics are counted; default none. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /**
         * Slots of the cache of strings the detectors found clean (default
         * {@value RedactionEngine#DEFAULT_CLEAN_CACHE_SIZE}; 0 turns it off). Only strings with no
         * detector hit at all are cached, so a hit returns a value that is clean in every field.
         */
        public Builder cleanCacheSize(int slots) {
            if (slots < 0) {
                throw new IllegalArgumentException("cleanCacheSize must not be negative");
            }
            this.cleanCacheSize = slots;
            return this;
        }

        public RedactionEngine build() {
            return new RedactionEngine(policy, key, registry, cleanCacheSize);
        }
    }

    private RedactionEngine(RedactionPolicy policy, HashKey key, MeterRegistry registry, int cleanCacheSize) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.key = key != null ? key : policy.hashKey().orElse(null);
        if (this.key == null && policy.needsHashKey()) {
            throw new IllegalArgumentException("policy " + policy.id() + " hashes fields but no hash key was given;"
                    + " add `hash_key: {env: NAME}` or `{file: PATH}` to the policy or pass a HashKey");
        }
        this.registry = registry;
        if (policy.allowAll()) {
            LOG.warn(
                    "redaction policy {} version {} has allow_all: true: every field not named in it is published"
                            + " (detectors still run)",
                    policy.id(),
                    policy.version());
        }
        List<Detectors.AllowEntry> allow = new ArrayList<>();
        for (AllowRule a : policy.allowList()) {
            allow.add(new Detectors.AllowEntry(a.pattern(), a.fields()));
        }
        this.detectors = new Detectors(policy.detectors(), allow, cleanCacheSize);
        if (policy.detectors().contains(DetectorKind.IP)) {
            // generalised networks are what the policy asked for: the ip detector must not erase them
            EnumSet<DetectorKind> noIp = EnumSet.copyOf(policy.detectors());
            noIp.remove(DetectorKind.IP);
            this.networkDetectors = new Detectors(noIp, allow, cleanCacheSize);
        } else {
            this.networkDetectors = detectors;
        }

        List<String> names = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (DetectorKind k : DetectorKind.values()) {
            names.add("detector." + k.wireName());
            actions.add("detect");
        }
        List<Plan> pl = new ArrayList<>();
        List<Plan> tl = new ArrayList<>();
        Map<String, Plan> ap = new HashMap<>();
        Plan attrStar = null;
        Set<Field> listed = new HashSet<>();
        for (FieldRule r : policy.rules().values()) {
            int idx = -1;
            if (r.action() != Action.KEEP) {
                idx = names.size();
                names.add("field." + r.name());
                actions.add(r.action().wireName());
            }
            String attr = r.attributeName();
            Plan p = new Plan(
                    r.name(),
                    r.field(),
                    r.action(),
                    r.generalisation(),
                    r.hashLength(),
                    r.ipv4Prefix(),
                    r.ipv6Prefix(),
                    idx,
                    attr != null && CREDENTIAL_HEADERS.contains(attr),
                    attr != null && (attr.equals("cookie") || attr.equals("set-cookie")));
            if (r.field() == null) {
                if (attr.equals("*")) {
                    attrStar = p;
                } else {
                    ap.put(attr, p);
                }
                continue;
            }
            listed.add(r.field());
            if (r.field().kind() == Field.Kind.REQUIRED) {
                continue;
            }
            if (r.field().kind() == Field.Kind.TLS_STRING || r.field().kind() == Field.Kind.TLS_VALUE) {
                tl.add(p);
            } else {
                pl.add(p);
            }
        }
        List<Field> den = new ArrayList<>();
        List<Integer> denIdx = new ArrayList<>();
        for (Field f : Field.values()) {
            if (f.kind() == Field.Kind.REQUIRED || listed.contains(f)) {
                continue;
            }
            if (policy.allowAll()) {
                Plan p = new Plan(f.wireName(), f, Action.KEEP, null, 0, 0, 0, -1, false, false);
                if (f.kind() == Field.Kind.TLS_STRING || f.kind() == Field.Kind.TLS_VALUE) {
                    tl.add(p);
                } else {
                    pl.add(p);
                }
                continue;
            }
            den.add(f);
            denIdx.add(names.size());
            names.add("deny." + f.wireName());
            actions.add("drop");
        }
        if (attrStar == null && policy.allowAll()) {
            attrStar = new Plan("attributes.*", null, Action.KEEP, null, 0, 0, 0, -1, false, false);
        }
        this.denyAttributesIndex = names.size();
        names.add("deny.attributes");
        actions.add("drop");
        this.errorIndex = names.size();
        names.add("error");
        actions.add("drop");
        this.userinfoIndex = DetectorKind.USERINFO.ordinal();
        this.plans = pl.toArray(new Plan[0]);
        this.tlsPlans = tl.toArray(new Plan[0]);
        this.denied = den.toArray(new Field[0]);
        this.deniedIndex = denIdx.stream().mapToInt(Integer::intValue).toArray();
        this.attrPlans = Map.copyOf(ap);
        this.attrDefault = attrStar;
        this.ruleNames = names.toArray(new String[0]);
        this.ruleActions = actions.toArray(new String[0]);
        this.empty = new Redaction(policy.id(), policy.version(), Map.of());
        final int n = ruleNames.length;
        this.scratch = ThreadLocal.withInitial(() -> new int[n]);
    }

    public RedactionPolicy policy() {
        return policy;
    }

    /** All rule names this engine can count (detectors, field rules, deny rules, error), for docs and tests. */
    public List<String> ruleNames() {
        return List.of(ruleNames);
    }

    /**
     * Free text (an error message, a log line) with everything the detectors find replaced. Use it
     * before logging text that may quote input.
     */
    public String scrub(String text) {
        return detectors.apply(text, null, null, 0);
    }

    /**
     * The redacted copy of {@code e}. Never throws for a non-null event; never returns a value the
     * policy does not allow.
     */
    public MeshEvent redact(MeshEvent e) {
        Objects.requireNonNull(e, "e");
        int[] counts = scratch.get();
        Arrays.fill(counts, 0);
        MeshEvent out;
        try {
            out = redactInto(e, counts);
        } catch (RuntimeException ex) {
            // fail closed; the message of ex may quote the value, so it is not logged
            Arrays.fill(counts, 0);
            counts[errorIndex] = 1; // redaction() below copies what it keeps
            out = MeshEvent.builder()
                    .schemaVersion(e.schemaVersion())
                    .eventId(e.eventId())
                    .observedTime(e.observedTime())
                    .meshId(e.meshId())
                    .sourceKind(e.sourceKind())
                    .redaction(redaction(counts))
                    .build();
            LOG.warn(
                    "redaction of event {} failed ({}); published closed",
                    e.eventId(),
                    ex.getClass().getSimpleName());
            if (registry != null) {
                registry.counter(METRIC_ERRORS, "mesh", e.meshId(), "reason", "engine")
                        .increment();
            }
        }
        record(e.meshId(), counts);
        return out;
    }

    private MeshEvent redactInto(MeshEvent e, int[] counts) {
        MeshEvent.Builder b = MeshEvent.builder()
                .schemaVersion(e.schemaVersion())
                .eventId(e.eventId())
                .observedTime(e.observedTime())
                .meshId(e.meshId())
                .sourceKind(e.sourceKind());
        for (Plan p : plans) {
            Object v = p.field.get(e);
            if (v == null) {
                continue;
            }
            if (p.action == Action.DROP) {
                counts[p.index]++;
                continue;
            }
            switch (p.field.kind()) {
                case VALUE -> p.field.set(b, v);
                case STRUCT -> struct(b, p.field, v, counts);
                default -> p.field.set(b, text(p, (String) v, counts));
            }
        }
        for (int i = 0; i < denied.length; i++) {
            if (denied[i].get(e) != null) {
                counts[deniedIndex[i]]++;
            }
        }
        if (e.tls() != null && tlsPlans.length > 0) {
            b.tls(tls(e.tls(), counts));
        }
        if (!e.attributes().isEmpty()) {
            Map<String, String> attrs = attributes(e.attributes(), counts);
            if (attrs != null) {
                b.attributes(attrs);
            }
        }
        b.redaction(redaction(counts));
        return b.build();
    }

    private TlsFailure tls(TlsFailure t, int[] counts) {
        FailureCategory category = null;
        RejectedBy rejectedBy = null;
        Long code = null;
        String reason = null, detail = null, raw = null;
        for (Plan p : tlsPlans) {
            Object v = switch (p.field) {
                case TLS_CATEGORY -> t.category();
                case TLS_REJECTED_BY -> t.rejectedBy();
                case TLS_CODE -> t.code();
                case TLS_REASON -> t.reason();
                case TLS_DETAIL -> t.detail();
                case TLS_RAW_TEXT -> t.rawText();
                default -> null;
            };
            if (v == null) {
                continue;
            }
            if (p.action == Action.DROP) {
                counts[p.index]++;
                continue;
            }
            switch (p.field) {
                case TLS_CATEGORY -> category = (FailureCategory) v;
                case TLS_REJECTED_BY -> rejectedBy = (RejectedBy) v;
                case TLS_CODE -> code = (Long) v;
                case TLS_REASON -> reason = text(p, (String) v, counts);
                case TLS_DETAIL -> detail = text(p, (String) v, counts);
                case TLS_RAW_TEXT -> raw = text(p, (String) v, counts);
                default -> {}
            }
        }
        if (category == null) {
            return null;
        }
        if (category == t.category()
                && rejectedBy == t.rejectedBy()
                && code == t.code()
                && reason == t.reason()
                && detail == t.detail()
                && raw == t.rawText()) {
            return t; // nothing removed or changed
        }
        return new TlsFailure(category, rejectedBy, code, reason, detail, raw);
    }

    private Map<String, String> attributes(Map<String, String> in, int[] counts) {
        Map<String, String> out = null;
        for (Map.Entry<String, String> en : in.entrySet()) {
            String name = en.getKey();
            Plan p = attrPlans.get(name);
            if (p == null) {
                p = attrPlans.get(name.toLowerCase(Locale.ROOT));
            }
            if (p == null) {
                p = attrDefault;
            }
            if (p == null) {
                counts[denyAttributesIndex]++;
                continue;
            }
            if (p.action == Action.DROP) {
                counts[p.index]++;
                continue;
            }
            String v = en.getValue();
            if (v == null) {
                continue;
            }
            String lname = name.toLowerCase(Locale.ROOT);
            if (p.action == Action.KEEP && (p.credentialHeader || CREDENTIAL_HEADERS.contains(lname))) {
                v = credential(v, counts);
            } else if (p.action == Action.KEEP
                    && (p.cookieHeader || lname.equals("cookie") || lname.equals("set-cookie"))) {
                v = detectors.cookieHeader(v, counts, 0);
                v = detectors.apply(v, p.name, counts, 0);
            } else {
                v = text(p, v, counts);
            }
            if (out == null) {
                out = new LinkedHashMap<>();
            }
            if (p == attrDefault) {
                name = detectors.apply(name, p.name, counts, 0); // a header name chosen by nobody: scan it too
            }
            out.put(name, v);
        }
        return out;
    }

    /** A credential header that a policy keeps: only its scheme word survives. */
    private String credential(String v, int[] counts) {
        String t = v.trim();
        int sp = t.indexOf(' ');
        String scheme = sp > 0 ? t.substring(0, sp) : null;
        DetectorKind k = DetectorKind.TOKEN;
        if (scheme != null && scheme.equalsIgnoreCase("bearer")) {
            k = DetectorKind.BEARER;
        } else if (scheme != null && scheme.equalsIgnoreCase("basic")) {
            k = DetectorKind.BASIC;
        }
        counts[k.ordinal()]++;
        boolean plainScheme =
                scheme != null && scheme.length() <= 16 && scheme.chars().allMatch(Character::isLetter);
        return plainScheme ? scheme + " " + k.marker() : k.marker();
    }

    private String text(Plan p, String v, int[] counts) {
        String out;
        switch (p.action) {
            case MASK -> {
                counts[p.index]++;
                return Transforms.mask(v);
            }
            case HASH -> {
                counts[p.index]++;
                String in = p.field != null && p.field.kind() == Field.Kind.ADDRESS ? Transforms.hostOf(v) : v;
                return key.hmacHex(in, p.hashLength);
            }
            case GENERALISE -> {
                counts[p.index]++;
                out = switch (p.gen) {
                    case IP -> Transforms.generaliseIp(v, p.v4, p.v6);
                    case PATH -> Transforms.pathTemplate(v);
                    case QUERY -> Transforms.queryOnly(v);
                };
            }
            default -> out = v;
        }
        if (p.field == Field.AUTHORITY) {
            String s = Transforms.stripUserInfo(out);
            if (s != out) {
                counts[userinfoIndex]++;
                out = s;
            }
        }
        if (p.action == Action.GENERALISE && p.gen == Generalisation.IP) {
            return networkDetectors.apply(out, p.name, counts, 0);
        }
        return detectors.apply(out, p.name, counts, 0);
    }

    private void struct(MeshEvent.Builder b, Field f, Object v, int[] counts) {
        switch (f) {
            case ROLLUP -> b.rollup((dev.meshlens.events.Rollup) v); // counts and times only: nothing to redact
            case STATS -> {
                StatsDelta s = (StatsDelta) v;
                String name = detectors.apply(s.name(), "stats", counts, 0);
                Map<String, Long> deltas = s.deltas();
                for (String k : s.deltas().keySet()) {
                    if (detectors.apply(k, "stats", null, 0) != k) {
                        // a counter name carries something a detector flags (e.g. a host with user-info): rebuild
                        Map<String, Long> m = new LinkedHashMap<>();
                        for (Map.Entry<String, Long> en : s.deltas().entrySet()) {
                            m.merge(detectors.apply(en.getKey(), "stats", counts, 0), en.getValue(), Long::sum);
                        }
                        deltas = m;
                        break;
                    }
                }
                b.stats(
                        name == s.name() && deltas == s.deltas()
                                ? s
                                : new StatsDelta(s.scope(), name, deltas, s.intervalSeconds()));
            }
            case CERTIFICATES -> {
                @SuppressWarnings("unchecked")
                List<CertificateInfo> certs = (List<CertificateInfo>) v;
                List<CertificateInfo> out = null;
                for (int i = 0; i < certs.size(); i++) {
                    CertificateInfo c = certs.get(i);
                    String subject = detectors.apply(c.subject(), "certificates", counts, 0);
                    String issuer = detectors.apply(c.issuer(), "certificates", counts, 0);
                    List<String> uris = strings(c.uriSans(), counts);
                    List<String> dns = strings(c.dnsSans(), counts);
                    CertificateInfo n = c;
                    if (subject != c.subject() || issuer != c.issuer() || uris != c.uriSans() || dns != c.dnsSans()) {
                        n = new CertificateInfo(
                                subject,
                                issuer,
                                c.serialNumber(),
                                c.sha256Fingerprint(),
                                uris,
                                dns,
                                c.notBefore(),
                                c.notAfter(),
                                c.subjectKeyId(),
                                c.authorityKeyId(),
                                c.ca());
                    }
                    if (n != c && out == null) {
                        out = new ArrayList<>(certs.subList(0, i));
                    }
                    if (out != null) {
                        out.add(n);
                    }
                }
                b.certificates(out == null ? certs : out);
            }
            case TRUST_BUNDLE -> {
                TrustBundle t = (TrustBundle) v;
                String td = detectors.apply(t.trustDomain(), "trust_bundle", counts, 0);
                String src = detectors.apply(t.source(), "trust_bundle", counts, 0);
                List<TrustBundle.Root> roots = null;
                for (int i = 0; i < t.roots().size(); i++) {
                    TrustBundle.Root r = t.roots().get(i);
                    String subj = detectors.apply(r.subject(), "trust_bundle", counts, 0);
                    TrustBundle.Root n = subj == r.subject()
                            ? r
                            : new TrustBundle.Root(
                                    subj,
                                    r.sha256Fingerprint(),
                                    r.subjectKeyId(),
                                    r.authorityKeyId(),
                                    r.notBefore(),
                                    r.notAfter());
                    if (n != r && roots == null) {
                        roots = new ArrayList<>(t.roots().subList(0, i));
                    }
                    if (roots != null) {
                        roots.add(n);
                    }
                }
                b.trustBundle(
                        td == t.trustDomain() && src == t.source() && roots == null
                                ? t
                                : new TrustBundle(t.meshId(), td, src, roots == null ? t.roots() : roots));
            }
            default -> throw new IllegalStateException("not a structure: " + f);
        }
    }

    private List<String> strings(List<String> in, int[] counts) {
        List<String> out = null;
        for (int i = 0; i < in.size(); i++) {
            String s = in.get(i);
            String r = detectors.apply(s, "certificates", counts, 0);
            if (r != s && out == null) {
                out = new ArrayList<>(in.subList(0, i));
            }
            if (out != null) {
                out.add(r);
            }
        }
        return out == null ? in : out;
    }

    private Redaction redaction(int[] counts) {
        CountsKey probe = new CountsKey(counts);
        Redaction cached = redactions.get(probe);
        if (cached != null) {
            return cached;
        }
        Redaction r = buildRedaction(counts);
        if (redactions.size() < MAX_CACHED_REDACTIONS) {
            redactions.putIfAbsent(new CountsKey(counts.clone()), r);
        }
        return r;
    }

    private Redaction buildRedaction(int[] counts) {
        Map<String, Integer> m = null;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                if (m == null) {
                    m = new HashMap<>();
                }
                m.put(ruleNames[i], counts[i]);
            }
        }
        return m == null ? empty : new Redaction(policy.id(), policy.version(), m);
    }

    private void record(String mesh, int[] counts) {
        if (registry == null) {
            return;
        }
        Counter[] cs = counters.get(mesh);
        if (cs == null) {
            cs = counters.computeIfAbsent(mesh, m -> new Counter[ruleNames.length]);
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                Counter c = cs[i];
                if (c == null) {
                    c = Counter.builder(METRIC_FIELDS)
                            .description("values the redactor removed or changed")
                            .tag("mesh", mesh)
                            .tag("rule", ruleNames[i])
                            .tag("action", ruleActions[i])
                            .register(registry);
                    cs[i] = c;
                }
                c.increment(counts[i]);
            }
        }
    }
}
