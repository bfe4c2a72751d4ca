package engine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
)

// noImages is the simulator with its image uploads refused, as a Slack
// workspace without files:write refuses them.
type noImages struct{ *simulator.Adapter }

func (noImages) SendImage(context.Context, bot.Address, bot.Image) (bot.MessageRef, error) {
	return "", fmt.Errorf("%w: missing_scope", bot.ErrPermanent)
}

// A digest whose picture the platform refuses still goes, as words.
func TestImageRefusedWordsStillGo(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		f.Engine.Register(noImages{f.sim})
		before := len(f.sim.DM("anna"))
		err := f.Engine.SendImage(context.Background(), f.people["anna"], bot.Message{Title: "Your week", Text: "3 of 4 check-ins in"},
			bot.Image{Name: "digest.png", Alt: "participation by team", PNG: []byte("\x89PNG")})
		require.NoError(t, err)
		got := f.sim.DM("anna")[before:]
		require.Len(t, got, 1, "the words, without the picture")
		require.Equal(t, "Your week", got[0].Title)
	})
}
