package main

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/conversations"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/hook"
)

// mountHooks takes signed business events on POST /hooks/events when some
// source has a secret (PERFBOT_HOOK_SECRETS); without one there is nothing
// to check a signature against, so the endpoint is not there. Replay
// claims are kept in the database: Redis may lose them in a restart, and a
// replay would prompt a manager again. The tools' own webhooks are mounted
// by connectors.
func (a *app) mountHooks(mux *http.ServeMux, c *hook.Connectors) error {
	c.Mount(mux)
	if len(a.cfg.HookSecrets) == 0 {
		return nil
	}
	h, err := hook.New(hook.Options{
		Secrets: a.cfg.HookSecrets, Kinds: a.cfg.HookKinds, Rules: c.Rules(), People: a.store, Replay: a.store,
		Prompter: hookPrompter{a.engine}, Clock: a.env.clock, Logger: a.log,
	})
	if err != nil {
		return err
	}
	h.Mount(mux)
	return nil
}

// connectors builds the receivers of the tools with a secret
// (PERFBOT_CONNECTOR_SECRETS) and the rules (PERFBOT_HOOK_RULES, checked
// here, at start, so a mistake stops perfbot with its line). They also
// take the approvals the chat platforms pass on, so they exist without any
// tool configured.
func (a *app) connectors() (*hook.Connectors, error) {
	rules, err := a.hookRules()
	if err != nil {
		return nil, err
	}
	return hook.NewConnectors(hook.ConnectorOptions{
		Sources: toolSources(a.cfg.ConnectorSecrets, a.cfg.PublicURL), Rules: rules,
		People: a.store, Replay: a.store, Unmatched: a.store, Prompter: hookPrompter{a.engine},
		Clock: a.env.clock, Logger: a.log,
	})
}

// hookRules reads the rules file, or keeps the default rules whose kinds
// are taken.
func (a *app) hookRules() (*hook.Rules, error) {
	if a.cfg.HookRules == "" {
		return hook.DefaultRules().Allowing(a.cfg.HookKinds), nil
	}
	f, err := os.Open(a.cfg.HookRules)
	if err != nil {
		return nil, fmt.Errorf("hook rules: %w", err)
	}
	defer f.Close()
	return hook.LoadRules(f, a.cfg.HookRules, hook.SourceEvents(), a.cfg.HookKinds)
}

// toolSources are the sources with a secret; a Jira with either secret.
func toolSources(secrets map[string]string, publicURL string) []hook.Source {
	var out []hook.Source
	if s, ok := secrets["github"]; ok {
		out = append(out, hook.GitHub{Secret: s})
	}
	if s, ok := secrets["gitlab"]; ok {
		out = append(out, hook.GitLab{Token: s})
	}
	if secrets["jira"] != "" || secrets["jira_automation"] != "" {
		out = append(out, hook.Jira{Secret: secrets["jira"], Token: secrets["jira_automation"]})
	}
	if s, ok := secrets["hubspot"]; ok {
		out = append(out, hook.HubSpot{Secret: s, BaseURL: publicURL})
	}
	return out
}

// hookPrompter hands a business event to the engine: first the key result
// it moves (keyed by the event, so a retry moves nothing twice), then the
// prompt to the person's manager, so that a failed prompt, retried, finds
// the progress made.
type hookPrompter struct{ e *engine.Engine }

func (p hookPrompter) Prompt(ctx context.Context, ev hook.Event) error {
	if ev.KeyResult != nil {
		step := conversations.AutoStep{KeyResultID: ev.KeyResult.ID, Ref: ev.KeyResult.Ref, By: ev.KeyResult.By,
			Source: ev.Source + " " + ev.Kind + ": " + ev.Title, Key: ev.Key}
		if _, err := p.e.MoveKeyResult(ctx, ev.PersonID, step); err != nil {
			return err
		}
	}
	return p.e.BusinessEvent(ctx, ev.PersonID, ev.Kind, ev.Title, ev.URL)
}

// approvals steps the runtime's events: a finished approval the DingTalk or
// WeCom adapter handed on goes to the connectors, through the same rules
// as the tools' webhooks; everything else to the engine.
type approvals struct {
	next bot.Handler
	c    *hook.Connectors
}

func (h approvals) Handle(ctx context.Context, ev bot.Event) error {
	if ev.Kind != bot.KindApproval {
		return h.next.Handle(ctx, ev)
	}
	_, err := h.c.Take(ctx, string(ev.From.Platform), hook.ApprovalDelivery(ev))
	return err
}
