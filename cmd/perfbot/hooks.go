package main

import (
	"context"
	"net/http"

	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/hook"
)

// mountHooks takes signed business events on POST /hooks/events when some
// source has a secret (PERFBOT_HOOK_SECRETS); without one there is nothing
// to check a signature against, so the endpoint is not there. Replay
// claims are kept in the database: Redis may lose them in a restart, and a
// replay would prompt a manager again.
func (a *app) mountHooks(mux *http.ServeMux) error {
	if len(a.cfg.HookSecrets) == 0 {
		return nil
	}
	h, err := hook.New(hook.Options{
		Secrets: a.cfg.HookSecrets, Kinds: a.cfg.HookKinds, People: a.store, Replay: a.store,
		Prompter: hookPrompter{a.engine}, Clock: a.env.clock, Logger: a.log,
	})
	if err != nil {
		return err
	}
	h.Mount(mux)
	return nil
}

// hookPrompter hands a signed business event to the engine, which prompts
// the person's manager.
type hookPrompter struct{ e *engine.Engine }

func (p hookPrompter) Prompt(ctx context.Context, ev hook.Event) error {
	return p.e.BusinessEvent(ctx, ev.PersonID, ev.Kind, ev.Title, ev.URL)
}
