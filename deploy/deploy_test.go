package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// documents parses every YAML document in path.
func documents(t *testing.T, path string) []map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	var docs []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, path)
		docs = append(docs, doc)
	}
	require.NotEmpty(t, docs, path)
	return docs
}

// at walks doc by keys and list indexes.
func at(t *testing.T, doc any, path ...any) any {
	t.Helper()
	cur := doc
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			require.True(t, ok, "%v: not a mapping at %q", path, k)
			cur, ok = m[k]
			require.True(t, ok, "%v: no %q", path, k)
		case int:
			l, ok := cur.([]any)
			require.True(t, ok, "%v: not a list at %d", path, k)
			require.Less(t, k, len(l))
			cur = l[k]
		}
	}
	return cur
}

func TestCompose(t *testing.T) {
	doc := documents(t, "compose.yaml")[0]
	for _, svc := range []string{"perfbot", "postgres", "redis"} {
		at(t, doc, "services", svc, "healthcheck", "test")
		require.Equal(t, []any{"perfbot.env"}, at(t, doc, "services", svc, "env_file"), "%s: secrets from the env file", svc)
	}
	deps := at(t, doc, "services", "perfbot", "depends_on").(map[string]any)
	for _, d := range []string{"postgres", "redis"} {
		require.Equal(t, "service_healthy", at(t, deps, d, "condition"))
	}
	require.Contains(t, at(t, doc, "volumes"), "postgres")
	require.Contains(t, at(t, doc, "volumes"), "redis")

	// The env file's example names every variable compose and perfbot read.
	example, err := os.ReadFile("perfbot.env.example")
	require.NoError(t, err)
	for _, k := range []string{"POSTGRES_PASSWORD=", "PERFBOT_DATABASE_URL=", "PERFBOT_REDIS_URL=", "REDIS_PASSWORD="} {
		require.Contains(t, string(example), "\n"+k)
	}
}

func TestKubernetes(t *testing.T) {
	kinds := map[string]map[string]any{}
	files, err := filepath.Glob("kubernetes/*.yaml")
	require.NoError(t, err)
	for _, f := range files {
		for _, doc := range documents(t, f) {
			kind, _ := doc["kind"].(string)
			require.NotEmpty(t, kind, f)
			kinds[kind] = doc
		}
	}
	for _, k := range []string{"Kustomization", "Deployment", "Service", "PodDisruptionBudget", "ServiceMonitor"} {
		require.Contains(t, kinds, k)
	}
	listed := at(t, kinds["Kustomization"], "resources").([]any)
	require.Len(t, listed, len(files)-1, "every manifest is in kustomization.yaml")

	d := kinds["Deployment"]
	require.Equal(t, 2, at(t, d, "spec", "replicas"))
	pod := at(t, d, "spec", "template", "spec")
	require.Equal(t, true, at(t, pod, "securityContext", "runAsNonRoot"))
	c := at(t, pod, "containers", 0)
	require.Equal(t, "/readyz", at(t, c, "readinessProbe", "httpGet", "path"))
	require.Equal(t, "/healthz", at(t, c, "livenessProbe", "httpGet", "path"))
	require.Equal(t, "perfbot", at(t, c, "envFrom", 0, "secretRef", "name"), "credentials from a Secret")
	require.Equal(t, "/metrics", at(t, kinds["ServiceMonitor"], "spec", "endpoints", 0, "path"))
	require.Equal(t, 1, at(t, kinds["PodDisruptionBudget"], "spec", "minAvailable"))
}

// The unit runs serve as a dynamic, unprivileged user with its state in
// /var/lib/perfbot.
func TestSystemdUnit(t *testing.T) {
	raw, err := os.ReadFile("perfbot.service")
	require.NoError(t, err)
	unit := string(raw)
	for _, line := range []string{"ExecStart=/usr/local/bin/perfbot serve", "DynamicUser=yes", "StateDirectory=perfbot",
		"EnvironmentFile=/etc/perfbot/perfbot.env", "WantedBy=multi-user.target"} {
		require.True(t, strings.Contains(unit, "\n"+line+"\n"), line)
	}
}

// Both images run the static binary as the non-root user.
func TestDockerfile(t *testing.T) {
	raw, err := os.ReadFile("../Dockerfile")
	require.NoError(t, err)
	df := string(raw)
	require.Contains(t, df, "CGO_ENABLED=0")
	require.Contains(t, df, "FROM gcr.io/distroless/static-debian12:nonroot AS default")
	require.Contains(t, df, "AS voice")
	require.Contains(t, df, "ffmpeg")
	require.Equal(t, 2, strings.Count(df, "\nUSER 65532:65532\n"))
	require.True(t, strings.HasSuffix(strings.TrimSpace(df), "FROM default"), "a plain build gives the default image")
}

// helm finds the helm binary that scripts/ensure-tools.sh installs.
func helm(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("helm"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOPATH").Output()
	require.NoError(t, err)
	p := filepath.Join(strings.TrimSpace(string(out)), "bin", "helm")
	_, err = os.Stat(p)
	require.NoError(t, err, "helm (make test installs it: scripts/ensure-tools.sh)")
	return p
}

// render runs helm template on the chart with args and parses what it
// renders, by kind.
func render(t *testing.T, args ...string) (map[string]map[string]any, error) {
	t.Helper()
	cmd := exec.Command(helm(t), append([]string{"template", "perfbot", "helm/perfbot", "--namespace", "perfbot"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%w: %s", err, stderr.String())
	}
	kinds := map[string]map[string]any{}
	dec := yaml.NewDecoder(bytes.NewReader(out))
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		if doc == nil {
			continue
		}
		kind, _ := doc["kind"].(string)
		require.NotContains(t, kinds, kind, "one %s", kind)
		kinds[kind] = doc
	}
	return kinds, nil
}

// The chart lints, and renders what an operator relies on: N replicas
// with the probes, the credentials from the env file in a Secret (or from
// a Secret of their own), a PodDisruptionBudget and a ServiceMonitor.
func TestHelmChart(t *testing.T) {
	out, err := exec.Command(helm(t), "lint", "--strict", "helm/perfbot", "--set-file", "envFile=perfbot.env.example").CombinedOutput()
	require.NoError(t, err, "%s", out)

	kinds, err := render(t, "--set-file", "envFile=perfbot.env.example", "--set", "replicaCount=3")
	require.NoError(t, err)
	for _, k := range []string{"Deployment", "Service", "PodDisruptionBudget", "ServiceMonitor", "Secret"} {
		require.Contains(t, kinds, k)
	}
	d := kinds["Deployment"]
	require.Equal(t, 3, at(t, d, "spec", "replicas"))
	pod := at(t, d, "spec", "template", "spec")
	require.Equal(t, true, at(t, pod, "securityContext", "runAsNonRoot"))
	c := at(t, pod, "containers", 0)
	require.Equal(t, "/readyz", at(t, c, "readinessProbe", "httpGet", "path"))
	require.Equal(t, "/healthz", at(t, c, "livenessProbe", "httpGet", "path"))
	require.Equal(t, "perfbot", at(t, c, "envFrom", 0, "secretRef", "name"))
	require.Equal(t, "perfbot", at(t, kinds["Secret"], "metadata", "name"))
	require.Equal(t, "/metrics", at(t, kinds["ServiceMonitor"], "spec", "endpoints", 0, "path"))
	require.Equal(t, 1, at(t, kinds["PodDisruptionBudget"], "spec", "minAvailable"))
	// The PDB and the Service select the Deployment's pods, the
	// ServiceMonitor the Service.
	pods := at(t, d, "spec", "template", "metadata", "labels")
	require.Equal(t, at(t, d, "spec", "selector", "matchLabels"), pods)
	require.Equal(t, pods, at(t, kinds["PodDisruptionBudget"], "spec", "selector", "matchLabels"))
	require.Equal(t, pods, at(t, kinds["Service"], "spec", "selector"))
	svc := at(t, kinds["Service"], "metadata", "labels").(map[string]any)
	for k, v := range at(t, kinds["ServiceMonitor"], "spec", "selector", "matchLabels").(map[string]any) {
		require.Equal(t, v, svc[k], k)
	}

	// Every variable of the example env file is in the Secret, value and all.
	example, err := os.ReadFile("perfbot.env.example")
	require.NoError(t, err)
	data := at(t, kinds["Secret"], "stringData").(map[string]any)
	n := 0
	for line := range strings.Lines(string(example)) {
		line = strings.TrimSpace(line)
		k, v, ok := strings.Cut(line, "=")
		if line == "" || strings.HasPrefix(line, "#") || !ok {
			continue
		}
		n++
		require.Equal(t, strings.Trim(strings.TrimSpace(v), `"`), data[strings.TrimSpace(k)], k)
	}
	require.Len(t, data, n)

	// A Secret of the operator's own: none is made, and it is the one read.
	kinds, err = render(t, "--set", "existingSecret=perfbot-credentials", "--set", "serviceMonitor.enabled=false")
	require.NoError(t, err)
	require.NotContains(t, kinds, "Secret")
	require.NotContains(t, kinds, "ServiceMonitor", "left out without the Prometheus Operator")
	require.Equal(t, "perfbot-credentials", at(t, kinds["Deployment"], "spec", "template", "spec", "containers", 0, "envFrom", 0, "secretRef", "name"))

	// Neither: helm says what is missing.
	_, err = render(t)
	require.ErrorContains(t, err, "perfbot needs its credentials")
}
