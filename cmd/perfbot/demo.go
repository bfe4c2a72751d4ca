package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/demo"
	"github.com/perfbot/perfbot/internal/store"
)

// runDemo runs perfbot on the embedded default (unless configured otherwise)
// with the chat simulator and a seeded demo org, and opens this week's
// check-in for everyone so there is something to do straight away.
func runDemo(ctx context.Context, env environment, args []string) error {
	if _, err := flags("demo", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	return withAppFor(ctx, env, demoUse, func(a *app) error {
		if err := demo.Seed(ctx, a.store, tenants(env.getenv)); err != nil {
			return fmt.Errorf("seed demo org: %w", err)
		}
		sim := simulator.New(simulator.Options{Personas: a.personas, Clock: env.clock, Logger: a.log, Hosts: a.cfg.SimulatorHosts})
		a.engine.Register(sim)
		if _, err := a.engine.OpenTeam(ctx, 0, ""); err != nil {
			return fmt.Errorf("open this week's check-ins: %w", err)
		}
		return a.serve(ctx, sim)
	})
}

// personas lists everyone with a simulator identity, for the simulator's
// "talking as" list.
func (a *app) personas(ctx context.Context) ([]simulator.Persona, error) {
	people, err := a.store.People(ctx, store.PeopleFilter{})
	if err != nil {
		return nil, err
	}
	teams := map[int64]string{}
	if ts, err := a.store.Teams(ctx); err == nil {
		for _, t := range ts {
			teams[t.ID] = t.Name
		}
	}
	var out []simulator.Persona
	for _, p := range people {
		id, ok := p.IdentityOn(bot.Simulator)
		if !ok {
			continue
		}
		out = append(out, simulator.Persona{
			ID: id.UserID, Name: p.Name, Locale: p.Locale, TimeZone: p.TimeZone,
			Title: personaTitle(p, teams[p.TeamID]),
		})
	}
	return out, nil
}

// personaTitle reads "Manager · Platform": the simulator groups by the role.
func personaTitle(p bot.Person, team string) string {
	role := "Employee"
	switch {
	case p.Has(bot.RoleHR):
		role = "HR"
	case p.Has(bot.RoleManager):
		role = "Manager"
	}
	parts := []string{role}
	for _, s := range []string{team, p.Department} {
		if s != "" && s != parts[len(parts)-1] {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}
