// Package deploy holds perfbot's install files: deploy/compose.yaml, the
// Helm chart in deploy/helm/perfbot, the Kubernetes manifests in
// deploy/kubernetes (for kustomize), the systemd unit, the Grafana
// dashboard and Prometheus alert rules in deploy/monitoring, and (at the
// repository's root) the Dockerfile. It has no code; its test checks that
// the files parse and keep what an operator relies on (replicas, probes on
// perfbot's health endpoints, a non-root user, secrets from outside), and
// lints and renders the chart with helm, checks that the dashboard and
// the rules name only metrics perfbot has, and runs the rules' promtool
// unit tests.
package deploy
