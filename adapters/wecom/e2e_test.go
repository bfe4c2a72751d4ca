package wecom_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/wecom"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// A whole check-in through WeCom: the prompt card, a click on Start, typed
// answers, a click on a mood, Submit, and the manager's summary, every
// step an encrypted callback and every answer a call to the fake WeCom.
func TestCheckinThroughWeCom(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			fake := newFakeWeCom(t)
			f := enginetest.New(t, b)
			sl := &sleeps{}
			a := newAdapter(t, fake, f.Dialog, sl, f.Clock.Now)
			f.Engine.Register(a)
			mux := http.NewServeMux()
			a.Mount(mux, f.Engine)
			cb := newCallbacks(t, mux)
			cb.clock = f.Clock.Now // WeCom and perfbot agree on the time

			id := func(u string) bot.Identity { return bot.Identity{Platform: bot.WeCom, Tenant: corp, UserID: u} }
			boss := f.Add("Wang Fang", bot.LocaleEN, "Asia/Shanghai", 0, bot.RoleManager, id("WangFang"))
			li := f.Add("Li Wei", bot.LocaleEN, "Asia/Shanghai", boss.ID, bot.RoleEmployee, id("LiWei"))

			_, err := f.Engine.Open(ctx, li.ID, "")
			require.NoError(t, err)
			prompt := fake.SendsTo("LiWei")[0]
			require.Equal(t, "template_card", prompt.MsgType)
			require.Equal(t, "button_interaction", prompt.TemplateCard.CardType)
			require.Equal(t, "Weekly check-in · 2026-W48", prompt.TemplateCard.MainTitle.Title)

			at := int64(1800000000)
			clicks := 0
			click := func(card sent, label string) {
				t.Helper()
				clicks++
				at++
				code := fmt.Sprintf("click-code-%d", clicks)
				require.Equal(t, http.StatusOK, cb.post(clickXML("LiWei", at, card.key(t, label), card.TemplateCard.TaskID, code)))
				u := fake.Updates()
				require.Equal(t, code, u[len(u)-1].ResponseCode, "the clicked card is updated")
				require.Empty(t, u[len(u)-1].TemplateCard.Buttons, "and loses its buttons")
				require.NotEmpty(t, u[len(u)-1].TemplateCard.ReplaceText, "which show the choice")
			}
			msgID := int64(5000)
			say := func(text string) {
				t.Helper()
				msgID++
				require.Equal(t, http.StatusOK, cb.post(textXML("LiWei", msgID, text)))
			}
			last := func() sent { s := fake.SendsTo("LiWei"); return s[len(s)-1] }

			click(prompt, "Start")
			require.Contains(t, last().content(), "(1/4)")
			say(`Shipped the <a href="https://evil.example">点我</a> @all`)
			say("none")

			// WeCom retries the next answer: one stored answer, one reply.
			before := len(fake.SendsTo("LiWei"))
			msgID++
			retried := textXML("LiWei", msgID, "The exporter")
			for range 3 {
				require.Equal(t, http.StatusOK, cb.post(retried))
			}
			require.Len(t, fake.SendsTo("LiWei"), before+1, "one reply to three deliveries")

			mood := last()
			require.Contains(t, mood.content(), "(4/4)")
			click(mood, mood.TemplateCard.Buttons[2].Text)
			var review sent
			for _, s := range fake.SendsTo("LiWei") {
				if s.TemplateCard != nil && len(s.TemplateCard.Buttons) > 0 {
					review = s
				}
			}
			click(review, "Submit")

			r := f.Round(li.ID, "2026-W48")
			require.Equal(t, store.StatusSubmitted, r.Status)
			require.Equal(t, `Shipped the <a href="https://evil.example">点我</a> @all`, r.Answer(store.QuestionDone))
			require.Equal(t, "The exporter", r.Answer(store.QuestionNext))
			require.Equal(t, 3, r.Mood)

			var summary strings.Builder
			var reviewButton string
			for _, s := range fake.SendsTo("WangFang") {
				summary.WriteString(s.content() + "\n")
				if s.TemplateCard != nil {
					reviewButton = s.TemplateCard.Buttons[0].Text
				}
			}
			require.Contains(t, summary.String(), "Li Wei")
			require.Contains(t, summary.String(), "Shipped the <\u2060a href=\"https://evil.example\">点我<\u2060/a> @\u2060all",
				"echoed, it reads the same but links nowhere and cannot ping everyone")
			require.NotContains(t, summary.String(), "<a href", "WeCom would render the link")
			require.Contains(t, summary.String(), "The exporter")
			require.NotEmpty(t, reviewButton, "the manager can mark it reviewed from the card")
			require.Equal(t, 1, fake.Tokens(), "one token for the whole check-in, from the shared store")
		})
	}
}

var _ bot.Updater = (*wecom.Adapter)(nil)
var _ bot.Mounter = (*wecom.Adapter)(nil)
