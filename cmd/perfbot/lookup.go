package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/perfbot/perfbot/internal/store"
)

// notFound is store.ErrNotFound told as a person reads it: what the command
// line named that is not there, and what there is instead.
type notFound struct {
	what string
	// instead is what there is, or what to do ("teams: Core, Growth").
	instead string
}

func (e notFound) Error() string {
	if e.instead == "" {
		return e.what
	}
	return fmt.Sprintf("%s (%s)", e.what, e.instead)
}

func (e notFound) Unwrap() error { return store.ErrNotFound }

// teamReader reads teams.
type teamReader interface {
	TeamByName(ctx context.Context, name string) (store.Team, error)
	Teams(ctx context.Context) ([]store.Team, error)
}

// findTeam reads the team called name. When there is none, the error
// (store.ErrNotFound) lists the teams there are, so a typo shows itself.
func findTeam(ctx context.Context, st teamReader, name string) (store.Team, error) {
	t, err := st.TeamByName(ctx, name)
	if !errors.Is(err, store.ErrNotFound) {
		return t, err
	}
	teams, err := st.Teams(ctx)
	if err != nil {
		return t, err
	}
	names := make([]string, len(teams))
	for i, t := range teams {
		names[i] = t.Name
	}
	return t, notFound{fmt.Sprintf("no team named %q", name), listed("teams", names)}
}

// broadcastReader reads broadcasts.
type broadcastReader interface {
	BroadcastStatus(ctx context.Context, id int64) (store.BroadcastStatus, error)
	Broadcasts(ctx context.Context, limit int) ([]store.Broadcast, error)
}

// findBroadcast reads how broadcast id went. When there is none, the
// error (store.ErrNotFound) names the newest there are.
func findBroadcast(ctx context.Context, st broadcastReader, id int64) (store.BroadcastStatus, error) {
	s, err := st.BroadcastStatus(ctx, id)
	if !errors.Is(err, store.ErrNotFound) {
		return s, err
	}
	bs, err := st.Broadcasts(ctx, 5)
	if err != nil {
		return s, err
	}
	ids := make([]string, len(bs))
	for i, b := range bs {
		ids[i] = strconv.FormatInt(b.ID, 10)
	}
	instead := listed("broadcasts", ids)
	if len(ids) > 0 {
		instead = "the newest: " + strings.Join(ids, ", ") + "; perfbot broadcast list shows them"
	}
	return s, notFound{fmt.Sprintf("no broadcast %d", id), instead}
}

// listed is "teams: Core, Growth", or that there are none.
func listed(kind string, names []string) string {
	if len(names) == 0 {
		return fmt.Sprintf("there are no %s yet", kind)
	}
	return kind + ": " + strings.Join(names, ", ")
}

// noPerson is the error for an email that is nobody's.
func noPerson(email string, err error) error {
	if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return notFound{fmt.Sprintf("nobody has the email %s", email), "perfbot org import adds people"}
}
