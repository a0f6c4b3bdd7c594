package dev.meshlens.collector.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Realistic Istio text and Consul JSON lines (~390 bytes, ~5% TLS failures), generated from a fixed seed. */
final class BenchLines {
    static final String[] TLS = {
        "TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_SAN_matcher:TLS_error_end",
        "TLS_error:|268436504:SSL_routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA:TLS_error_end",
        "TLS_error:|268435703:SSL_routines:OPENSSL_internal:WRONG_VERSION_NUMBER:TLS_error_end",
        "TLS_error:|268436501:SSL_routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED:TLS_error_end",
        "TLS_error:|33554536:system_library:OPENSSL_internal:Connection_reset_by_peer:TLS_error_end"
    };
    static final String[] SERVICES = {"backend", "payments", "catalog", "cart", "ratings", "reviews", "checkout"};
    static final String[] UAS = {
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "curl/8.5.0",
        "grpc-java-netty/1.60.0",
        "python-requests/2.31.0",
        "Go-http-client/1.1"
    };

    private BenchLines() {}

    static List<String> istio(int n) {
        Random r = new Random(42);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean fail = r.nextInt(100) < 5;
            String svc = SERVICES[r.nextInt(SERVICES.length)];
            String tls = TLS[r.nextInt(TLS.length)];
            String details = fail
                    ? "upstream_reset_before_response_started{remote_connection_failure|" + tls + "}"
                    : "via_upstream";
            out.add("[2026-11-28T10:" + String.format("%02d:%02d.%03d", r.nextInt(60), r.nextInt(60), r.nextInt(1000))
                    + "Z] \"" + (r.nextBoolean() ? "GET" : "POST") + " /api/v1/" + svc + "/items/" + r.nextInt(100000)
                    + "?page=" + r.nextInt(20) + " HTTP/1.1\" " + (fail ? "503 UF,URX " : "200 - ") + details + " - \""
                    + (fail ? tls : "-") + "\" " + r.nextInt(2000) + " " + r.nextInt(90000) + " " + r.nextInt(300) + " "
                    + r.nextInt(290) + " \"10." + r.nextInt(255) + "." + r.nextInt(255) + "." + r.nextInt(255) + "\" \""
                    + UAS[r.nextInt(UAS.length)] + "\" \"" + new UUID(r.nextLong(), r.nextLong()) + "\" \""
                    + svc
                    + ".shop.svc.cluster.local:8080\" \"10.4." + r.nextInt(255) + "." + r.nextInt(255)
                    + ":8080\" outbound|8080||"
                    + svc + ".shop.svc.cluster.local 10.4.1.9:" + (30000 + r.nextInt(30000)) + " 10.96.0."
                    + r.nextInt(255)
                    + ":8080 10.4.1.9:" + (30000 + r.nextInt(30000)) + " - default");
        }
        return out;
    }

    static List<String> consul(int n) {
        Random r = new Random(7);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean fail = r.nextInt(100) < 5;
            String svc = SERVICES[r.nextInt(SERVICES.length)];
            String tls = TLS[r.nextInt(TLS.length)];
            out.add("{\"start_time\":\"2026-11-28T10:00:00." + String.format("%03d", r.nextInt(1000))
                    + "Z\",\"route_name\":null,"
                    + "\"method\":\"GET\",\"path\":\"/api/v1/" + svc + "/" + r.nextInt(100000)
                    + "\",\"protocol\":\"HTTP/1.1\","
                    + "\"response_code\":" + (fail ? 503 : 200) + ",\"response_flags\":\"" + (fail ? "UF" : "-") + "\","
                    + "\"response_code_details\":\""
                    + (fail ? "upstream_reset_before_response_started{connection_failure}" : "via_upstream")
                    + "\",\"connection_termination_details\":null,\"bytes_received\":" + r.nextInt(2000)
                    + ",\"bytes_sent\":" + r.nextInt(90000) + ",\"duration\":" + r.nextInt(300)
                    + ",\"upstream_service_time\":\""
                    + r.nextInt(290) + "\",\"x_forwarded_for\":null,\"user_agent\":\"" + UAS[r.nextInt(UAS.length)]
                    + "\",\"request_id\":\"" + new UUID(r.nextLong(), r.nextLong()) + "\",\"authority\":\""
                    + svc
                    + ":8080\",\"upstream_host\":\"10.5.0." + r.nextInt(255) + ":20000\",\"upstream_cluster\":\"" + svc
                    + ".default.dc1.internal.1d2e3f4a-0000-0000-0000-000000000000.consul\",\"upstream_local_address\":null,"
                    + "\"downstream_local_address\":\"127.0.0.1:8080\",\"downstream_remote_address\":\"127.0.0.1:"
                    + (40000 + r.nextInt(20000))
                    + "\",\"requested_server_name\":null,\"upstream_transport_failure_reason\":"
                    + (fail ? "\"" + tls + "\"" : "null") + "}");
        }
        return out;
    }
}
