{{/* Chart name, truncated to a DNS label. */}}
{{- define "meshlens.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Fully qualified release name. */}}
{{- define "meshlens.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's objects: <fullname>-<component>, at most 63 chars. */}}
{{- define "meshlens.component" -}}
{{- printf "%s-%s" (include "meshlens.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "meshlens.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "meshlens.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: meshlens
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "collector") */}}
{{- define "meshlens.selectorLabels" -}}
app.kubernetes.io/name: {{ include "meshlens.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "meshlens.componentLabels" -}}
{{ include "meshlens.labels" .root }}
app.kubernetes.io/component: {{ .component }}
meshlens.dev/mesh: {{ .root.Values.mesh.id | quote }}
{{- end -}}

{{- define "meshlens.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "meshlens.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "meshlens.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "meshlens.eventsTopic" -}}
{{- default (printf "meshlens.events.%s" .Values.mesh.id) .Values.kafka.eventsTopic -}}
{{- end -}}

{{/* Kafka client properties shared by every component (TLS/SASL); secrets are file references. */}}
{{- define "meshlens.kafkaProperties" -}}
{{- $p := dict -}}
{{- $tls := .Values.kafka.tls.enabled -}}
{{- $sasl := .Values.kafka.sasl.enabled -}}
{{- if and $tls $sasl -}}
{{- $_ := set $p "security.protocol" "SASL_SSL" -}}
{{- else if $tls -}}
{{- $_ := set $p "security.protocol" "SSL" -}}
{{- else if $sasl -}}
{{- $_ := set $p "security.protocol" "SASL_PLAINTEXT" -}}
{{- end -}}
{{- if $tls -}}
{{- $_ := set $p "ssl.truststore.type" "PEM" -}}
{{- $_ := set $p "ssl.truststore.location" "/etc/meshlens/kafka-ca/ca.crt" -}}
{{- if .Values.kafka.tls.clientCertSecret.name -}}
{{- $_ := set $p "ssl.keystore.type" "PEM" -}}
{{- $_ := set $p "ssl.keystore.certificate.chain" "${dir:/etc/meshlens/kafka-client:tls.crt}" -}}
{{- $_ := set $p "ssl.keystore.key" "${dir:/etc/meshlens/kafka-client:tls.key}" -}}
{{- end -}}
{{- end -}}
{{- if $sasl -}}
{{- $_ := set $p "sasl.mechanism" .Values.kafka.sasl.mechanism -}}
{{- $module := ternary "org.apache.kafka.common.security.plain.PlainLoginModule" "org.apache.kafka.common.security.scram.ScramLoginModule" (eq .Values.kafka.sasl.mechanism "PLAIN") -}}
{{- $_ := set $p "sasl.jaas.config" (printf "%s required username=\"${dir:/etc/meshlens/kafka-sasl:username}\" password=\"${dir:/etc/meshlens/kafka-sasl:password}\";" $module) -}}
{{- end -}}
{{- if or $sasl .Values.kafka.tls.clientCertSecret.name -}}
{{- $_ := set $p "config.providers" "dir" -}}
{{- $_ := set $p "config.providers.dir.class" "org.apache.kafka.common.config.provider.DirectoryConfigProvider" -}}
{{- end -}}
{{- range $k, $v := .Values.kafka.extraProperties -}}
{{- $_ := set $p $k (toString $v) -}}
{{- end -}}
{{- toYaml $p -}}
{{- end -}}

{{/* Volumes with Kafka credentials (CA, client cert, SASL) */}}
{{- define "meshlens.kafkaVolumes" -}}
{{- if .Values.kafka.tls.enabled }}
- name: kafka-ca
  secret:
    secretName: {{ required "kafka.tls.caSecret.name is required when kafka.tls.enabled" .Values.kafka.tls.caSecret.name }}
    items:
      - key: {{ .Values.kafka.tls.caSecret.key }}
        path: ca.crt
{{- if .Values.kafka.tls.clientCertSecret.name }}
- name: kafka-client
  secret:
    secretName: {{ .Values.kafka.tls.clientCertSecret.name }}
    items:
      - key: {{ .Values.kafka.tls.clientCertSecret.certKey }}
        path: tls.crt
      - key: {{ .Values.kafka.tls.clientCertSecret.keyKey }}
        path: tls.key
{{- end }}
{{- end }}
{{- if .Values.kafka.sasl.enabled }}
- name: kafka-sasl
  secret:
    secretName: {{ required "kafka.sasl.existingSecret is required when kafka.sasl.enabled" .Values.kafka.sasl.existingSecret }}
    items:
      - key: {{ .Values.kafka.sasl.usernameKey }}
        path: username
      - key: {{ .Values.kafka.sasl.passwordKey }}
        path: password
{{- end }}
{{- end -}}

{{- define "meshlens.kafkaVolumeMounts" -}}
{{- if .Values.kafka.tls.enabled }}
- name: kafka-ca
  mountPath: /etc/meshlens/kafka-ca
  readOnly: true
{{- if .Values.kafka.tls.clientCertSecret.name }}
- name: kafka-client
  mountPath: /etc/meshlens/kafka-client
  readOnly: true
{{- end }}
{{- end }}
{{- if .Values.kafka.sasl.enabled }}
- name: kafka-sasl
  mountPath: /etc/meshlens/kafka-sasl
  readOnly: true
{{- end }}
{{- end -}}

{{/* Redaction policy file + hash key mounts (collector and redactor stage) */}}
{{- define "meshlens.redactionVolumes" -}}
- name: redaction-policy
  configMap:
    name: {{ include "meshlens.component" (dict "root" . "component" "redaction-policy") }}
{{- if .Values.redaction.hashKey.existingSecret }}
- name: hash-key
  secret:
    secretName: {{ .Values.redaction.hashKey.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ .Values.redaction.hashKey.key }}
        path: key
{{- end }}
{{- end -}}

{{- define "meshlens.redactionVolumeMounts" -}}
- name: redaction-policy
  mountPath: /etc/meshlens/redaction
  readOnly: true
{{- if .Values.redaction.hashKey.existingSecret }}
- name: hash-key
  mountPath: /etc/meshlens/hash-key
  readOnly: true
{{- end }}
{{- end -}}

{{/* Restricted container security context (non-root unless a uid is given) */}}
{{- define "meshlens.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: {{ ne (int .uid) 0 }}
runAsUser: {{ int .uid }}
runAsGroup: {{ int .uid }}
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "meshlens.podSecurityContext" -}}
runAsNonRoot: {{ ne (int .uid) 0 }}
runAsUser: {{ int .uid }}
runAsGroup: {{ int .uid }}
{{- if ne (int .uid) 0 }}
fsGroup: {{ int .uid }}
{{- end }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "meshlens.metricsAnnotations" -}}
{{- if .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}

{{/* Probes on the component's HTTP port */}}
{{- define "meshlens.probes" -}}
startupProbe:
  httpGet: {path: /healthz, port: http}
  periodSeconds: 5
  failureThreshold: 36
livenessProbe:
  httpGet: {path: /healthz, port: http}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 6
readinessProbe:
  httpGet: {path: /readyz, port: http}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
{{- end -}}

{{/* NetworkPolicy pieces */}}
{{- define "meshlens.dnsEgress" -}}
- to:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
{{- end -}}
{{- define "meshlens.cidrEgress" -}}
- to:
    {{- range .cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range .ports }}
    - {protocol: TCP, port: {{ . }}}
    {{- end }}
{{- end -}}
{{- define "meshlens.metricsIngress" -}}
- from:
    - namespaceSelector:
        {{- toYaml .root.Values.networkPolicy.metricsFromNamespaceSelector | nindent 8 }}
  ports:
    - {protocol: TCP, port: {{ .port }}}
{{- end -}}

{{/* A byte size (integer, or a quantity with k|M|G|T|Ki|Mi|Gi|Ti) as an integer number of bytes */}}
{{- define "meshlens.bytes" -}}
{{- if kindIs "string" . -}}
{{- $num := regexFind "^[0-9]+" . -}}
{{- $units := dict "" 1 "k" 1000 "M" 1000000 "G" 1000000000 "T" 1000000000000 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 "Ti" 1099511627776 -}}
{{- $unit := trimPrefix $num . -}}
{{- if or (not $num) (not (hasKey $units $unit)) -}}
{{- fail (printf "not a byte size: %q (integer, or a quantity with k, M, G, T, Ki, Mi, Gi, Ti)" .) -}}
{{- end -}}
{{- mul (int64 $num) (get $units $unit) -}}
{{- else -}}
{{- int64 . -}}
{{- end -}}
{{- end -}}

{{/*
Log format and OpenTelemetry variables of every component's container (values: telemetry).
*/}}
{{- define "meshlens.telemetryEnv" -}}
- name: MESHLENS_LOG_FORMAT
  value: {{ .Values.telemetry.logFormat | quote }}
{{- range $name, $value := .Values.telemetry.otelEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}
