package main

import (
	"context"
	"fmt"
	"time"

	"github.com/perfbot/perfbot/internal/config"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
)

// generatedButtonKey is the id of the key perfbot generates when none is
// configured; buttonKeyName is the name it is kept under in the database.
const (
	generatedButtonKey = '0'
	buttonKeyName      = "button"
)

// buttonRing is the ring that seals button values: the configured keys
// (PERFBOT_BUTTON_KEYS), or else the key perfbot generated once and keeps in
// the database, so every replica and every restart opens what another
// sealed.
func buttonRing(ctx context.Context, st store.Store, cfg config.Config, clock func() time.Time) (*seal.Ring, error) {
	keys := cfg.ButtonKeys
	if len(keys) == 0 {
		secret, err := st.SigningKey(ctx, buttonKeyName, seal.NewSecret())
		if err != nil {
			return nil, fmt.Errorf("button key: %w", err)
		}
		k, err := seal.NewKey(generatedButtonKey, secret)
		if err != nil {
			return nil, fmt.Errorf("button key kept in the database: %w", err)
		}
		keys = []seal.Key{k}
	}
	r, err := seal.NewRing(cfg.ButtonLifetime, clock, keys...)
	if err != nil {
		return nil, fmt.Errorf("button keys (PERFBOT_BUTTON_KEYS): %w", err)
	}
	return r, nil
}
