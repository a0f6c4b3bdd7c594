# meshlens: the same proxy-defaults as proxy-defaults.yaml, for Consul outside Kubernetes:
#   consul config write proxy-defaults.hcl
# Merge with your existing global proxy-defaults entry (there is only one) rather than replacing it.
# A failed inbound handshake writes no line even with these settings (it fails before any filter that
# logs, and the listener log keeps only NR): it shows only in the public listener's ssl.* counters,
# served by envoy_stats_bind_addr below (table: docs/mesh-setup.md).
Kind = "proxy-defaults"
Name = "global"

AccessLogs {
  Enabled             = true
  DisableListenerLogs = false
  Type                = "stdout"
  JSONFormat          = <<EOT
{
  "start_time": "%START_TIME%",
  "method": "%REQ(:METHOD)%",
  "path": "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%",
  "protocol": "%PROTOCOL%",
  "response_code": "%RESPONSE_CODE%",
  "response_flags": "%RESPONSE_FLAGS%",
  "response_code_details": "%RESPONSE_CODE_DETAILS%",
  "connection_termination_details": "%CONNECTION_TERMINATION_DETAILS%",
  "upstream_transport_failure_reason": "%UPSTREAM_TRANSPORT_FAILURE_REASON%",
  "downstream_transport_failure_reason": "%DOWNSTREAM_TRANSPORT_FAILURE_REASON%",
  "bytes_received": "%BYTES_RECEIVED%",
  "bytes_sent": "%BYTES_SENT%",
  "duration": "%DURATION%",
  "user_agent": "%REQ(USER-AGENT)%",
  "request_id": "%REQ(X-REQUEST-ID)%",
  "authority": "%REQ(:AUTHORITY)%",
  "upstream_host": "%UPSTREAM_HOST%",
  "upstream_cluster": "%UPSTREAM_CLUSTER%",
  "upstream_local_address": "%UPSTREAM_LOCAL_ADDRESS%",
  "downstream_local_address": "%DOWNSTREAM_LOCAL_ADDRESS%",
  "downstream_remote_address": "%DOWNSTREAM_REMOTE_ADDRESS%",
  "requested_server_name": "%REQUESTED_SERVER_NAME%",
  "downstream_peer_uri_san": "%DOWNSTREAM_PEER_URI_SAN%",
  "downstream_local_uri_san": "%DOWNSTREAM_LOCAL_URI_SAN%",
  "downstream_peer_issuer": "%DOWNSTREAM_PEER_ISSUER%",
  "downstream_tls_version": "%DOWNSTREAM_TLS_VERSION%"
}
EOT
}

Config {
  envoy_stats_bind_addr = "0.0.0.0:9103"
}
