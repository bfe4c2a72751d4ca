package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/perfbot/perfbot/internal/hook"
)

// hooksTest sends a running perfbot the sample webhook of a tool, signed
// with the tool's secret from the configuration, as the tool would: an
// admin sees that URL, secret and rules fit before the first real event.
func hooksTest(ctx context.Context, env environment, args []string) error {
	// The source comes first (hooks test github --url ...); flag parsing
	// would stop at it.
	var source, base, sample string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		source, args = args[0], args[1:]
	}
	fs, err := flags("hooks test", args, func(fs *flag.FlagSet) {
		fs.StringVar(&base, "url", "", "perfbot's URL (default PERFBOT_PUBLIC_URL, else http://PERFBOT_HTTP_ADDR)")
		fs.StringVar(&sample, "sample", "", "the sample to send (default the tool's merged, resolved or won one)")
	})
	if err != nil {
		return err
	}
	if source == "" && fs.NArg() == 1 {
		source = fs.Arg(0)
	} else if source == "" || fs.NArg() != 0 {
		return fmt.Errorf("%w: hooks test takes one SOURCE: github, gitlab, jira or hubspot", errUsage)
	}
	cfg, err := loadConfig(env)
	if err != nil {
		return err
	}
	signer, name, err := testSigner(source, cfg.ConnectorSecrets, cfg.PublicURL)
	if err != nil {
		return err
	}
	if sample == "" {
		sample = name
	}
	if base == "" {
		base = cfg.PublicURL
	}
	if base == "" {
		base = "http://" + cfg.HTTPAddr
	}
	req, err := hook.SampleRequest(signer, sample, strings.TrimSuffix(base, "/")+hook.ToolPath(source), "perfbot-test-"+rand.Text(), env.clock())
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 10 * time.Second}
	res, err := client.Do(req.WithContext(ctx))
	if err != nil {
		return fmt.Errorf("hooks test %s: %w", source, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	fmt.Fprintf(env.stdout, "POST %s (%s): %s\n%s", req.URL, sample, res.Status, body)
	if res.StatusCode >= 300 {
		return fmt.Errorf("hooks test %s: perfbot answered %s", source, res.Status)
	}
	return nil
}

// testSigner is the source to sign as, and its default sample.
func testSigner(source string, secrets map[string]string, publicURL string) (hook.Signer, string, error) {
	for _, s := range toolSources(secrets, publicURL) {
		if s.Name() != source {
			continue
		}
		signer, ok := s.(hook.Signer)
		if !ok {
			break
		}
		sample := map[string]string{"github": "github-pull_request-merged", "gitlab": "gitlab-merge_request-merge",
			"jira": "jira-issue_updated-done", "hubspot": "hubspot-deal-stage"}[source]
		if j, ok := s.(hook.Jira); ok && j.Secret == "" {
			sample = "jira-automation-issue" // only the Automation token is set
		}
		return signer, sample, nil
	}
	return nil, "", fmt.Errorf("%w: %q has no secret in PERFBOT_CONNECTOR_SECRETS (the sources are github, gitlab, jira, hubspot)", errUsage, source)
}
