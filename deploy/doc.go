// Package deploy holds perfbot's install files: deploy/compose.yaml, the
// Helm chart in deploy/helm/perfbot, the Kubernetes manifests in
// deploy/kubernetes (for kustomize), the systemd unit, and (at the
// repository's root) the Dockerfile. It has no code; its test checks that
// the files parse and keep what an operator relies on (replicas, probes on
// perfbot's health endpoints, a non-root user, secrets from outside), and
// lints and renders the chart with helm.
package deploy
