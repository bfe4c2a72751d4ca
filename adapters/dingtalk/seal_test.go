package dingtalk

import (
	"context"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// In action-card mode a click is text, which anyone can type: a typed
// marker with a value perfbot did not send to the typist does nothing but
// earn a polite refusal, while the manager's own click still works.
func TestTypedClickWithForgedValueIsRefused(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			fake := newFake(t)
			cfg := fake.config()
			cfg.Buttons = ButtonsActionCard
			f := enginetest.New(t, b)
			a := fake.adapter(cfg, f.Clock.Now, f.Dialog)
			f.Engine.Register(a)
			mgr := f.Add("Wang Fang", bot.LocaleZH, "Asia/Shanghai", 0, bot.RoleManager, a.identity("mgr01"))
			emp := f.Add("Li Lei", bot.LocaleEN, "Asia/Shanghai", mgr.ID, bot.RoleEmployee, a.identity("emp01"))
			peer := f.Add("Zhao Min", bot.LocaleEN, "Asia/Shanghai", mgr.ID, bot.RoleEmployee, a.identity("emp02"))
			c := newChat(t, a, f.Engine)
			ctx := context.Background()
			feedback := func() []store.Feedback {
				fs, err := f.Store.Feedbacks(ctx, store.System, store.FeedbackFilter{RecipientID: emp.ID})
				require.NoError(t, err)
				return fs
			}
			lastText := func(to string) string {
				ms := fake.messages(to)
				require.NotEmpty(t, ms)
				return ms[len(ms)-1].Param["text"]
			}

			forged := fmt.Sprintf("bpraise:%d:0:deal_won", emp.ID)
			c.deliver(c.text("emp02", "表扬 "+markerOpen+base64.RawURLEncoding.EncodeToString([]byte(forged))+markerClose))
			require.Contains(t, lastText("emp02"), "it wasn't sent to you")
			require.Empty(t, feedback())

			require.NoError(t, f.Engine.BusinessEvent(ctx, emp.ID, "deal_won", "ACME renewal", ""))
			card := fake.messages("mgr01")[0]
			require.Equal(t, "sampleActionCard2", card.MsgKey)
			c.deliver(c.text("emp02", buttons(t, card)["表扬"]))
			require.Contains(t, lastText("emp02"), "it wasn't sent to you", "the manager's click, typed by a peer")
			require.Empty(t, feedback())

			log, err := f.Store.AuditLog(ctx, fmt.Sprintf("person:%d", peer.ID), 0)
			require.NoError(t, err)
			require.Len(t, log, 2)
			require.Equal(t, "button.forged", log[1].Action)
			require.Equal(t, fmt.Sprintf("%q", forged), log[1].Detail)

			c.click("mgr01", card, "表扬")
			got := feedback()
			require.Len(t, got, 1, "the manager's own click")
			require.Equal(t, mgr.ID, got[0].GiverID)
		})
	}
}
