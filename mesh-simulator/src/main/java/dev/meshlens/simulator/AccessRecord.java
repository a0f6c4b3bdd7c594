package dev.meshlens.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The values of one Envoy access-log entry; rendered as Istio text or Consul JSON. */
final class AccessRecord {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter START_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    Instant startTime;
    String method;
    String path;
    String protocol;
    Integer responseCode;
    String responseFlags;
    String responseCodeDetails;
    String connectionTerminationDetails;
    String upstreamTransportFailureReason;
    Long bytesReceived;
    Long bytesSent;
    Long duration;
    Long upstreamServiceTime;
    String forwardedFor;
    String userAgent;
    String requestId;
    String authority;
    String upstreamHost;
    String upstreamCluster;
    String upstreamLocalAddress;
    String downstreamLocalAddress;
    String downstreamRemoteAddress;
    String requestedServerName;
    String routeName;
    String downstreamTransportFailureReason;

    private static String d(Object o) {
        return o == null ? "-" : o.toString();
    }

    /** Istio's default text format; {@code listener} adds the downstream transport failure reason. */
    String istioText(boolean listener) {
        StringBuilder sb = new StringBuilder(320);
        sb.append('[')
                .append(START_TIME.format(startTime))
                .append("] \"")
                .append(d(method))
                .append(' ')
                .append(d(path))
                .append(' ')
                .append(d(protocol))
                .append("\" ")
                .append(responseCode == null ? 0 : responseCode)
                .append(' ')
                .append(d(responseFlags))
                .append(' ')
                .append(d(responseCodeDetails))
                .append(' ')
                .append(d(connectionTerminationDetails))
                .append(" \"")
                .append(d(upstreamTransportFailureReason))
                .append("\" ")
                .append(bytesReceived == null ? 0 : bytesReceived)
                .append(' ')
                .append(bytesSent == null ? 0 : bytesSent)
                .append(' ')
                .append(d(duration))
                .append(' ')
                .append(d(upstreamServiceTime))
                .append(" \"")
                .append(d(forwardedFor))
                .append("\" \"")
                .append(d(userAgent))
                .append("\" \"")
                .append(d(requestId))
                .append("\" \"")
                .append(d(authority))
                .append("\" \"")
                .append(d(upstreamHost))
                .append("\" ")
                .append(d(upstreamCluster))
                .append(' ')
                .append(d(upstreamLocalAddress))
                .append(' ')
                .append(d(downstreamLocalAddress))
                .append(' ')
                .append(d(downstreamRemoteAddress))
                .append(' ')
                .append(d(requestedServerName))
                .append(' ')
                .append(d(routeName));
        if (listener) {
            sb.append(" \"").append(d(downstreamTransportFailureReason)).append('"');
        }
        return sb.toString();
    }

    /** Consul's default JSON access log as Envoy's json_format writes it: one line, typed, null when absent. */
    String consulJson(boolean listener) {
        ObjectNode n = JSON.createObjectNode();
        n.put("start_time", START_TIME.format(startTime));
        n.put("route_name", routeName);
        n.put("method", method);
        n.put("path", path);
        n.put("protocol", protocol);
        n.put("response_code", responseCode == null ? 0 : responseCode);
        n.put("response_flags", responseFlags == null ? "-" : responseFlags);
        n.put("response_code_details", responseCodeDetails);
        n.put("connection_termination_details", connectionTerminationDetails);
        n.put("bytes_received", bytesReceived == null ? 0 : bytesReceived);
        n.put("bytes_sent", bytesSent == null ? 0 : bytesSent);
        n.put("duration", duration == null ? 0 : duration);
        n.put("upstream_service_time", upstreamServiceTime == null ? null : upstreamServiceTime.toString());
        n.put("x_forwarded_for", forwardedFor);
        n.put("user_agent", userAgent);
        n.put("request_id", requestId);
        n.put("authority", authority);
        n.put("upstream_host", upstreamHost);
        n.put("upstream_cluster", upstreamCluster);
        n.put("upstream_local_address", upstreamLocalAddress);
        n.put("downstream_local_address", downstreamLocalAddress);
        n.put("downstream_remote_address", downstreamRemoteAddress);
        n.put("requested_server_name", requestedServerName);
        n.put("upstream_transport_failure_reason", upstreamTransportFailureReason);
        if (listener) {
            n.put("downstream_transport_failure_reason", downstreamTransportFailureReason);
        }
        return n.toString();
    }
}
