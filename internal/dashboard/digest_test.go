package dashboard_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/dashboard"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/period"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
)

// sentDigest is what the fake sender was given.
type sentDigest struct {
	to  bot.Person
	msg bot.Message
	img bot.Image
}

type fakeSender struct {
	mu   sync.Mutex
	sent []sentDigest
}

func (f *fakeSender) SendImage(_ context.Context, p bot.Person, m bot.Message, img bot.Image) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, sentDigest{p, m, img})
	return nil
}

func TestWeeklyDigest(t *testing.T) {
	f := newFixture(t, sqliteURL(t), 2)
	ctx := t.Context()
	texts, err := i18n.Load("en")
	require.NoError(t, err)
	key, err := seal.NewKey('d', []byte("0123456789abcdef0123456789abcdef"))
	require.NoError(t, err)
	h, err := dashboard.New(dashboard.Options{Store: f.st, Links: f.links, Key: key, Texts: texts, Clock: f.clock.now, MinGroup: 2})
	require.NoError(t, err)
	// The growth team turns its digest off: its manager, Bo, gets none.
	growth, err := f.st.TeamByName(ctx, "增长 Growth")
	require.NoError(t, err)
	growth.Rules.NoWeeklyDigest = true
	require.NoError(t, f.st.SaveTeam(ctx, &growth))
	bo := f.org.mgrB
	bo.TeamID = growth.ID
	require.NoError(t, f.st.SavePerson(ctx, &bo))

	sender := &fakeSender{}
	opts := dashboard.DigestOptions{Store: f.st, Sender: sender, Button: "dashboard:0:0",
		Due: func(p bot.Person, week string) time.Time {
			monday, err := period.Start(week, time.UTC)
			require.NoError(t, err)
			return monday.Add(9 * time.Hour)
		}}

	f.clock.add(4*24*time.Hour - 2*time.Hour) // Monday 2026-12-07 08:00: not yet
	n, err := h.SendDigests(ctx, opts)
	require.NoError(t, err)
	require.Zero(t, n)

	f.clock.add(2 * time.Hour) // 10:00
	n, err = h.SendDigests(ctx, opts)
	require.NoError(t, err)
	var names []string
	for _, s := range sender.sent {
		names = append(names, s.to.Name)
	}
	require.ElementsMatch(t, []string{f.org.ceo.Name, f.org.mgrA.Name, f.org.hr.Name}, names,
		"managers and HR, not employees, not a team that opted out")
	require.Equal(t, 3, n)

	n, err = h.SendDigests(ctx, opts)
	require.NoError(t, err)
	require.Zero(t, n, "once a week")
	ds, err := f.st.Deliveries(ctx, store.DeliveryFilter{Kind: dashboard.DigestKind})
	require.NoError(t, err)
	require.Len(t, ds, 3, "recorded like every scheduled send")

	var anna sentDigest
	for _, s := range sender.sent {
		if s.to.ID == f.org.mgrA.ID {
			anna = s
		}
	}
	require.Equal(t, "Your weekly digest · 2026-W49", anna.msg.Title)
	require.Len(t, anna.msg.Fields, 5, "five numbers")
	require.Equal(t, "Check-in participation", anna.msg.Fields[0].Label)
	require.Contains(t, anna.msg.Fields[0].Value, "(week before: ")
	require.Contains(t, anna.msg.Text, "Warnings:")
	require.Equal(t, []bot.Button{{Label: "Open the dashboard", Value: "dashboard:0:0", Style: bot.StylePrimary}}, anna.msg.Buttons)
	require.Contains(t, anna.img.Alt, "W49")

	if dir := os.Getenv("PERFBOT_SAVE_PNG"); dir != "" { // to look at it
		require.NoError(t, os.WriteFile(filepath.Join(dir, anna.img.Name), anna.img.PNG, 0o644))
	}
	img, err := png.Decode(bytes.NewReader(anna.img.PNG))
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, 640, 300), img.Bounds())
	colors := map[color.RGBA]int{}
	for y := 0; y < 300; y += 2 {
		for x := 0; x < 640; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			colors[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}]++
		}
	}
	require.Greater(t, len(colors), 3, "bars, axes and labels, not a blank picture")
	white := colors[color.RGBA{0xff, 0xff, 0xff, 0xff}]
	require.Less(t, white, 320*150*95/100, "more than a few pixels are drawn")
}
