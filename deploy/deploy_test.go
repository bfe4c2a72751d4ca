package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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

// metricRE finds perfbot's metric names in a PromQL expression.
var metricRE = regexp.MustCompile(`perfbot_[a-z_]+`)

// perfbotMetrics is every metric perfbot registers, read from its source:
// the Name of each collector's options, and the queue gauges
// newQueueCollector names.
func perfbotMetrics(t *testing.T) map[string]bool {
	t.Helper()
	named := regexp.MustCompile(`Name:\s*"(perfbot_[a-z_]+)"`)
	queue := regexp.MustCompile(`newQueueCollector\("([a-z]+)"`)
	known := map[string]bool{}
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range named.FindAllStringSubmatch(string(src), -1) {
			known[m[1]] = true
		}
		for _, m := range queue.FindAllStringSubmatch(string(src), -1) {
			known["perfbot_"+m[1]+"_depth"], known["perfbot_"+m[1]+"_oldest_age_seconds"] = true, true
		}
		return nil
	})
	require.NoError(t, err)
	require.Contains(t, known, "perfbot_events_total", "the scan finds perfbot's metrics")
	return known
}

// requireKnown checks that expr names only metrics perfbot has (a
// histogram by its series).
func requireKnown(t *testing.T, known map[string]bool, where, expr string) {
	t.Helper()
	names := metricRE.FindAllString(expr, -1)
	require.NotEmpty(t, names, "%s: %s names no perfbot metric", where, expr)
	for _, n := range names {
		base := n
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if b, ok := strings.CutSuffix(n, suffix); ok && known[b] {
				base = b
			}
		}
		require.True(t, known[base], "%s: %s is not a metric perfbot has", where, n)
	}
}

// The Grafana dashboard and the alert rules read perfbot's own metrics,
// and cover what an operator watches: events, step latency, sends,
// rate-limit waits, the queues and the scheduler.
func TestMonitoring(t *testing.T) {
	known := perfbotMetrics(t)
	raw, err := os.ReadFile("monitoring/grafana-dashboard.json")
	require.NoError(t, err)
	var dash struct {
		Title  string
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	require.NoError(t, json.Unmarshal(raw, &dash))
	used := map[string]bool{}
	for _, p := range dash.Panels {
		require.NotEmpty(t, p.Targets, p.Title)
		for _, tg := range p.Targets {
			requireKnown(t, known, p.Title, tg.Expr)
			for _, n := range metricRE.FindAllString(tg.Expr, -1) {
				used[n] = true
			}
		}
	}
	for _, m := range []string{"perfbot_events_total", "perfbot_event_seconds_bucket", "perfbot_messages_sent_total",
		"perfbot_outbox_depth", "perfbot_job_last_run_timestamp_seconds", "perfbot_slack_api_retries_total"} {
		require.True(t, used[m], "the dashboard shows %s", m)
	}

	var rules struct {
		Groups []struct {
			Rules []struct {
				Alert, Expr string
				Annotations map[string]string
			}
		}
	}
	rawRules, err := os.ReadFile("monitoring/alerts.yaml")
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(rawRules, &rules))
	alerts := map[string]bool{}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			requireKnown(t, known, r.Alert, r.Expr)
			require.NotEmpty(t, r.Annotations["summary"], r.Alert)
			alerts[r.Alert] = true
		}
	}
	for _, a := range []string{"PerfbotOutboxGrowing", "PerfbotSendsFailing", "PerfbotJobStalled"} {
		require.True(t, alerts[a], a)
	}
}

// promtool checks the alert rules and runs their unit tests
// (monitoring/alerts_test.yaml): each alert fires on what it is for.
func TestAlertRules(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	require.NoError(t, err, "promtool (make test installs it: scripts/ensure-tools.sh, Debian's prometheus)")
	for _, args := range [][]string{{"check", "rules", "alerts.yaml"}, {"test", "rules", "alerts_test.yaml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = "monitoring"
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "promtool %s: %s", strings.Join(args, " "), out)
	}
}
