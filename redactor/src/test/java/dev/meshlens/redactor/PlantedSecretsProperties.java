package dev.meshlens.redactor;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.meshlens.events.EventCodec;
import dev.meshlens.events.MeshEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Generated secrets planted in random text and random event fields must never come out. */
class PlantedSecretsProperties {
    static final RedactionEngine DEFAULT = new RedactionEngine(RedactionPolicy.defaultPolicy(), null);
    static final RedactionEngine PERMISSIVE =
            new RedactionEngine(RedactionPolicy.parse("id: p\nversion: '1'\nallow_all: true\n", "p", Map.of()), null);

    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static final String B64URL = ALNUM + "-_";

    /** A generated secret: the text planted and the part that must not survive. */
    record Planted(String kind, String text, String core) {}

    static String rnd(Random r, String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Random base64-like text guaranteed to mix upper, lower and digits. */
    static String mixed(Random r, int n) {
        String s = rnd(r, ALNUM, n - 3);
        return s + (char) ('A' + r.nextInt(26)) + (char) ('a' + r.nextInt(26)) + (char) ('0' + r.nextInt(10));
    }

    static String b64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String luhnComplete(String prefix, int len, Random r) {
        StringBuilder sb = new StringBuilder(prefix);
        while (sb.length() < len - 1) {
            sb.append(r.nextInt(10));
        }
        for (int c = 0; c < 10; c++) {
            String cand = sb.toString() + c;
            int sum = 0;
            boolean dbl = false;
            for (int i = cand.length() - 1; i >= 0; i--) {
                int v = cand.charAt(i) - '0';
                if (dbl) {
                    v *= 2;
                    if (v > 9) {
                        v -= 9;
                    }
                }
                sum += v;
                dbl = !dbl;
            }
            if (sum % 10 == 0) {
                return cand;
            }
        }
        throw new IllegalStateException();
    }

    static String iban(Random r) {
        String[] cc = {"DE", "GB", "FR", "NL", "CH"};
        String country = cc[r.nextInt(cc.length)];
        String bban = country.equals("GB") || country.equals("NL")
                ? rnd(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4) + rnd(r, "0123456789", 14)
                : rnd(r, "0123456789", 18);
        String rearranged = bban + country + "00";
        int rem = 0;
        for (char c : rearranged.toCharArray()) {
            rem = Character.isDigit(c) ? (rem * 10 + (c - '0')) % 97 : (rem * 100 + (c - 'A' + 10)) % 97;
        }
        int check = 98 - rem;
        return country + (check < 10 ? "0" : "") + check + bban;
    }

    static Planted make(int kind, long seed) {
        Random r = new Random(seed);
        switch (kind) {
            case 0 -> {
                String jwt = b64url("{\"alg\":\"HS256\",\"kid\":\"" + rnd(r, ALNUM, 6) + "\"}") + "."
                        + b64url("{\"sub\":\"" + rnd(r, ALNUM, 8) + "\",\"exp\":"
                                + (1_700_000_000 + r.nextInt(99_999_999)) + "}")
                        + "." + rnd(r, B64URL, 43);
                return new Planted("jwt", jwt, jwt);
            }
            case 1 -> {
                String c = mixed(r, 20 + r.nextInt(20));
                return new Planted("bearer", (r.nextBoolean() ? "Bearer " : "bearer ") + c, c);
            }
            case 2 -> {
                String c = Base64.getEncoder()
                        .encodeToString((rnd(r, ALNUM, 6) + ":" + rnd(r, ALNUM, 10)).getBytes(StandardCharsets.UTF_8));
                return new Planted("basic", "Basic " + c, c);
            }
            case 3 -> {
                String k = (r.nextBoolean() ? "AKIA" : "ASIA") + rnd(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);
                return new Planted("aws", k, k);
            }
            case 4 -> {
                String k = "AIza" + rnd(r, B64URL, 35);
                return new Planted("gcp", k, k);
            }
            case 5 -> {
                String k = "gh" + "pousr".charAt(r.nextInt(5)) + "_" + rnd(r, ALNUM, 36);
                return new Planted("github", k, k);
            }
            case 6 -> {
                String k = "xox" + "bpa".charAt(r.nextInt(3)) + "-" + rnd(r, "0123456789", 11) + "-"
                        + rnd(r, "0123456789", 12) + "-" + rnd(r, ALNUM, 24);
                return new Planted("slack", k, k);
            }
            case 7 -> {
                String k = mixed(r, 24 + r.nextInt(24));
                return new Planted("token", k, k);
            }
            case 8 -> {
                String body = rnd(r, ALNUM + "+/", 64);
                String pem = "-----BEGIN " + (r.nextBoolean() ? "RSA " : "EC ") + "PRIVATE KEY-----\n" + body
                        + "\n-----END PRIVATE KEY-----";
                return new Planted("pem", pem, body);
            }
            case 9 -> {
                String e = rnd(r, "abcdefghijklmnopqrstuvwxyz", 3 + r.nextInt(8)) + (r.nextBoolean() ? "." : "+")
                        + rnd(r, "abcdefghijklmnopqrstuvwxyz0123456789", 2 + r.nextInt(5)) + "@"
                        + rnd(r, "abcdefghijklmnopqrstuvwxyz", 3 + r.nextInt(8)) + "."
                        + List.of("com", "io", "org", "example").get(r.nextInt(4));
                return new Planted("email", e, e);
            }
            case 10 -> {
                String[] prefixes = {"4", "51", "55", "2221", "37", "6011"};
                String p = prefixes[r.nextInt(prefixes.length)];
                int len = p.equals("37") ? 15 : 16;
                String n = luhnComplete(p, len, r);
                String sep = List.of("", " ", "-").get(r.nextInt(3));
                String text = sep.isEmpty()
                        ? n
                        : n.substring(0, 4)
                                + sep
                                + n.substring(4, 8)
                                + sep
                                + n.substring(8, 12)
                                + sep
                                + n.substring(12);
                return new Planted("card", text, n);
            }
            case 11 -> {
                String i = iban(r);
                return new Planted("iban", i, i);
            }
            case 12 -> {
                String pw = mixed(r, 8 + r.nextInt(8));
                return new Planted("userinfo", "https://" + rnd(r, "abcdefgh", 5) + ":" + pw + "@h.internal/p", pw);
            }
            case 13 -> {
                String v = mixed(r, 12);
                return new Planted("cookie", "Cookie: sid=" + v + "; lang=en", v);
            }
            case 14 -> {
                String v = mixed(r, 12);
                return new Planted("query", "/cb?code=" + v + "&state=1", v);
            }
            default -> {
                String v = mixed(r, 10);
                return new Planted("secret_param", "db_password=" + v, v);
            }
        }
    }

    static final String[] WORDS = {
        "upstream",
        "connect",
        "error",
        "TLS",
        "handshake",
        "503",
        "UF",
        "backend",
        "spiffe://cluster.local/ns/default/sa/web",
        "outbound|8080||svc.ns.svc.cluster.local",
        "10.1.2.3:443",
        "GET",
        "/api/v1/items",
        "CERTIFICATE_VERIFY_FAILED",
        "retry",
        "x",
        "Mozilla/5.0",
        "{}",
        "[]",
        "ok"
    };
    static final String[] SEPS = {" ", ", ", "; ", " | ", "\n", "\t", " (", ") ", "\"", "'", " <", "> ", "{", "}"};

    static String text(Random r, String secret) {
        StringBuilder sb = new StringBuilder();
        int before = r.nextInt(6);
        int after = r.nextInt(6);
        for (int i = 0; i < before; i++) {
            sb.append(WORDS[r.nextInt(WORDS.length)]).append(SEPS[r.nextInt(SEPS.length)]);
        }
        String wrapped = switch (r.nextInt(4)) {
            case 0 -> secret;
            case 1 -> "{\"note\":\"" + secret.replace("\n", "\\n") + "\"}";
            case 2 -> "msg=[" + secret + "]";
            default -> "value: " + secret;
        };
        sb.append(wrapped);
        for (int i = 0; i < after; i++) {
            sb.append(SEPS[r.nextInt(SEPS.length)]).append(WORDS[r.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    @Provide
    Arbitrary<long[]> plantings() {
        return Combinators.combine(Arbitraries.integers().between(0, 15), Arbitraries.longs())
                .as((k, seed) -> new long[] {k, seed});
    }

    @Property(tries = 2000)
    void secretInRandomTextNeverSurvives(@ForAll("plantings") long[] p) {
        Planted s = make((int) p[0], p[1]);
        String t = text(new Random(p[1] ^ 0x5DEECE66DL), s.text());
        String out = PERMISSIVE.scrub(t);
        for (String form : Corpus.forms(s.core())) {
            assertFalse(
                    out.contains(form), () -> s.kind() + " survived as '" + form + "' in: " + out + "\n  from: " + t);
        }
    }

    static final List<String> TEXT_FIELDS = List.of(
            "cluster",
            "requested_server_name",
            "authority",
            "path",
            "user_agent",
            "request_id",
            "response_code_details",
            "connection_termination_details",
            "upstream_transport_failure_reason",
            "upstream_cluster",
            "peer_uri_san",
            "peer_subject",
            "tls.raw_text",
            "tls.detail",
            "attributes.x-note",
            "attributes.authorization",
            "attributes.cookie");

    @Property(tries = 1000)
    void secretInRandomFieldNeverPublished(@ForAll("plantings") long[] p, @ForAll("fieldIndexes") int field) {
        Planted s = make((int) p[0], p[1]);
        String value = text(new Random(p[1] + 1), s.text());
        MeshEvent.Builder b = Corpus.realistic("m", 1).toBuilder();
        String f = TEXT_FIELDS.get(field);
        switch (f) {
            case "cluster" -> b.cluster(value);
            case "requested_server_name" -> b.requestedServerName(value);
            case "authority" -> b.authority(value);
            case "path" -> b.path(value);
            case "user_agent" -> b.userAgent(value);
            case "request_id" -> b.requestId(value);
            case "response_code_details" -> b.responseCodeDetails(value);
            case "connection_termination_details" -> b.connectionTerminationDetails(value);
            case "upstream_transport_failure_reason" -> b.upstreamTransportFailureReason(value);
            case "upstream_cluster" -> b.upstreamCluster(value);
            case "peer_uri_san" -> b.peerUriSan(value);
            case "peer_subject" -> b.peerSubject(value);
            case "tls.raw_text" ->
                b.tls(new dev.meshlens.events.TlsFailure(
                        dev.meshlens.events.FailureCategory.UNKNOWN, null, null, null, null, value));
            case "tls.detail" ->
                b.tls(new dev.meshlens.events.TlsFailure(
                        dev.meshlens.events.FailureCategory.UNKNOWN, null, null, null, value, null));
            case "attributes.x-note" -> b.attributes(Map.of("x-note", value));
            case "attributes.authorization" -> b.attributes(Map.of("authorization", value));
            default -> b.attributes(Map.of("cookie", value));
        }
        MeshEvent e = b.build();
        for (RedactionEngine engine : List.of(DEFAULT, PERMISSIVE)) {
            String json = EventCodec.get().encode(engine.redact(e));
            for (String form : Corpus.forms(s.core())) {
                assertFalse(
                        json.contains(form), () -> s.kind() + " in " + f + " survived as '" + form + "' in: " + json);
            }
        }
    }

    @Provide
    Arbitrary<Integer> fieldIndexes() {
        return Arbitraries.integers().between(0, TEXT_FIELDS.size() - 1);
    }
}
