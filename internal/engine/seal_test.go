package engine_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/simulator"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/engine"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/i18n"
	"github.com/perfbot/perfbot/internal/seal"
	"github.com/perfbot/perfbot/internal/store"
)

const (
	forgedEN  = "Sorry, I can't accept that button: it wasn't sent to you, or it was changed on the way, so nothing was done. Type help to see what I can do."
	forgedZH  = "抱歉，这个按钮无法使用：它不是发给你的，或在传递中被改动过，所以我没有执行任何操作。输入「帮助」查看我能做什么。"
	expiredZH = "抱歉，这个按钮已经过期，所以我没有执行任何操作。输入「帮助」查看我能做什么，或输入「签到」填写本周周报。"
)

func (f *fixture) identity(who string) bot.Identity {
	return bot.Identity{Platform: bot.Simulator, Tenant: simulator.Tenant, UserID: who}
}

// tap sends a click on value as who.
func (f *fixture) tap(who, value string) {
	f.t.Helper()
	require.NoError(f.t, f.Engine.Handle(context.Background(), f.event(who, bot.Event{Kind: bot.KindAction, Action: value})))
}

// refusals lists the refused clicks audited for who, newest first.
func (f *fixture) refusals(who string) []store.AuditEntry {
	f.t.Helper()
	log, err := f.Store.AuditLog(f.t.Context(), fmt.Sprintf("person:%d", f.people[who].ID), 0)
	require.NoError(f.t, err)
	var out []store.AuditEntry
	for _, e := range log {
		if strings.HasPrefix(e.Action, "button.") {
			out = append(out, e)
		}
	}
	return out
}

// The demo's forgery: an employee types the value of a business-event
// praise button for a colleague, with a label of their own.
func TestForgedButtonIsRefusedAndAudited(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		anna := len(f.sim.DM("anna"))
		forged := fmt.Sprintf("bpraise:%d:0:deal_won", f.people["anna"].ID)
		f.tap("sam", forged)
		require.Equal(t, forgedEN, f.last("sam").Text)
		require.Empty(t, f.feedbackTo("anna"), "no praise was given")
		require.Len(t, f.sim.DM("anna"), anna, "Anna heard nothing")

		log := f.refusals("sam")
		require.Len(t, log, 1)
		require.Equal(t, "button.forged", log[0].Action)
		require.Equal(t, f.people["sam"].ID, log[0].ActorID)
		require.Equal(t, f.identity("sam").String(), log[0].Actor)
		require.Equal(t, fmt.Sprintf("%q", forged), log[0].Detail)

		// A very long value is kept only in part.
		f.tap("sam", strings.Repeat("仿", 1000))
		require.Equal(t, forgedEN, f.last("sam").Text)
		detail := f.refusals("sam")[0].Detail
		require.Less(t, len(detail), 260)
		require.True(t, strings.HasPrefix(detail, `"仿仿`), detail)
	})
}

// A genuine button works for the person it was sent to, and for nobody
// else; altered, it works for no one.
func TestButtonIsBoundToItsRecipient(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		require.NoError(t, f.Engine.BusinessEvent(ctx, f.people["anna"].ID, "deal_won", "ACME renewal", ""))
		praise := f.last("li.wei").Buttons[0]
		require.Equal(t, "表扬", praise.Label)
		require.NotContains(t, f.last("li.wei").Buttons[1].Value, praise.Value, "each button has its own seal")

		f.tap("sam", praise.Value)
		require.Equal(t, forgedEN, f.last("sam").Text, "Li Wei's button, clicked by Sam")
		f.tap("li.wei", strings.Replace(praise.Value, "ACME", "EVIL", 1))
		require.Equal(t, forgedZH, f.last("li.wei").Text, "an altered label, in the clicker's language")
		require.Empty(t, f.feedbackTo("anna"))
		require.Len(t, f.refusals("sam"), 1)
		require.Len(t, f.refusals("li.wei"), 1)

		f.click("li.wei", "表扬")
		got := f.feedbackTo("anna")
		require.Len(t, got, 1, f.transcript("li.wei"))
		require.Equal(t, "deal_won — ACME renewal", got[0].Source)
		require.Equal(t, f.people["li.wei"].ID, got[0].GiverID)
	})
}

func TestExpiredButtonIsRefusedPolitely(t *testing.T) {
	eachBackend(t, func(t *testing.T, f *fixture) {
		require.NoError(t, f.Engine.BusinessEvent(context.Background(), f.people["anna"].ID, "deal_won", "ACME renewal", ""))
		f.Clock.Set(f.Clock.Now().Add(seal.DefaultLifetime + time.Minute))
		f.click("li.wei", "表扬")
		require.Equal(t, expiredZH, f.last("li.wei").Text)
		require.Empty(t, f.feedbackTo("anna"))
		log := f.refusals("li.wei")
		require.Len(t, log, 1)
		require.Equal(t, "button.expired", log[0].Action)
	})
}

// Buttons sent before a key rotation keep working after it, on a replica
// (or a restart) that signs with the new key.
func TestButtonsSurviveKeyRotation(t *testing.T) {
	key := func(id byte) seal.Key {
		k, err := seal.NewKey(id, seal.NewSecret())
		require.NoError(t, err)
		return k
	}
	old, current := key('1'), key('2')
	ring := func(clock func() time.Time, keys ...seal.Key) *seal.Ring {
		r, err := seal.NewRing(time.Hour, clock, keys...)
		require.NoError(t, err)
		return r
	}
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, b, func(o *engine.Options) { o.Buttons = ring(o.Clock, old) })
			rotate(t, f, ring(f.Clock.Now, current, old), ring(f.Clock.Now, old))
		})
	}
}

// rotate checks a button f's engine sent still works on an engine with the
// rotated ring, and what that engine sends is refused by one on lagging.
func rotate(t *testing.T, f *fixture, rotatedRing, laggingRing *seal.Ring) {
	t.Helper()
	require.NoError(t, f.Engine.BusinessEvent(context.Background(), f.people["anna"].ID, "deal_won", "ACME renewal", ""))
	texts, err := i18n.Load(bot.LocaleEN)
	require.NoError(t, err)
	rotated := engine.New(engine.Options{Store: f.Store, Dialog: f.Dialog, Texts: texts, Clock: f.Clock.Now,
		Buttons: rotatedRing})
	rotated.Register(f.sim)
	f.Engine = rotated

	f.click("li.wei", "表扬")
	require.Len(t, f.feedbackTo("anna"), 1, f.transcript("li.wei"))

	// What the new key signs, a replica that only knows the old one
	// refuses: roll the new key out to every replica as a verifier first.
	require.NoError(t, f.Engine.BusinessEvent(context.Background(), f.people["sam"].ID, "deal_won", "Globex", ""))
	bs := f.last("li.wei").Buttons
	require.NotEmpty(t, bs, f.transcript("li.wei"))
	lagging := engine.New(engine.Options{Store: f.Store, Dialog: f.Dialog, Texts: texts, Clock: f.Clock.Now,
		Buttons: laggingRing})
	lagging.Register(f.sim)
	f.Engine = lagging
	f.tap("li.wei", bs[0].Value)
	require.Equal(t, forgedZH, f.last("li.wei").Text)
}
