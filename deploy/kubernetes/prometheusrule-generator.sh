#!/bin/sh
# Kustomize exec function (runs in this folder): prints a PrometheusRule whose spec is the shipped
# Prometheus rules file, indented under spec: (indenting every line keeps the YAML's meaning).
set -eu
rules=../prometheus/atlas-export-rules.yml
[ -r "$rules" ] || { echo "prometheusrule-generator: cannot read $rules" >&2; exit 1; }
cat >/dev/null    # the function's input (its own config) is not needed
cat <<'YAML'
apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
  - apiVersion: monitoring.coreos.com/v1
    kind: PrometheusRule
    metadata:
      name: atlas-export-monitor
      labels:
        app.kubernetes.io/name: atlas-export-monitor
    spec:
YAML
sed 's/^/      /' "$rules"
