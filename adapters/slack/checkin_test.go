package slack_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
	"github.com/perfbot/perfbot/internal/store"
)

// A whole check-in through Slack: the prompt as a DM, Start, three typed
// answers (one of them redelivered by Slack), the mood, Submit, and the
// summary in the manager's DM with the answers escaped.
func TestCheckinThroughSlack(t *testing.T) {
	for _, b := range enginetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, b)
			ctx := context.Background()
			lead := h.f.Add("Lead", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleManager, user("ULEAD"))
			anna := h.f.Add("Anna", bot.LocaleEN, "Asia/Shanghai", lead.ID, bot.RoleEmployee, user("UANNA"))

			_, err := h.f.Engine.Open(ctx, anna.ID, "")
			require.NoError(t, err)
			prompt := h.fake.last(t, "DUANNA")
			require.Contains(t, prompt.Blocks, `"type":"header"`)
			require.Contains(t, prompt.Blocks, "2026-W48")

			require.Equal(t, http.StatusOK, h.click("UANNA", "Start"))
			// The prompt was replaced: its buttons are gone, so it can't be clicked twice.
			require.Empty(t, h.fake.messages("DUANNA")[0].buttons(t), h.fake.messages("DUANNA")[0].Blocks)
			require.Contains(t, h.fake.last(t, "DUANNA").Blocks, "What did you get done this week?")

			// Slack delivers a typed @channel as <!channel>, and a typed < as &lt;.
			typed := "Shipped <!channel> & <@U999> &lt;b&gt; &amp; more"
			before := h.fake.received("DUANNA")
			require.Equal(t, http.StatusOK, h.say("UANNA", typed, "Ev0001", 0))
			require.Equal(t, before+1, h.fake.received("DUANNA"), "one reply")
			// Slack redelivers the same event: it is acknowledged and handled once.
			require.Equal(t, http.StatusOK, h.say("UANNA", typed, "Ev0001", 1))
			require.Equal(t, before+1, h.fake.received("DUANNA"), "still one reply")
			r := h.f.Round(anna.ID, "2026-W48")
			require.Equal(t, "Shipped <!channel> & <@U999> <b> & more", r.Answer(store.QuestionDone))
			require.Empty(t, r.Answer(store.QuestionBlockers), "the retry answered nothing else")

			require.Equal(t, http.StatusOK, h.say("UANNA", "none", "Ev0002", 0))
			require.Equal(t, http.StatusOK, h.say("UANNA", "the exporter", "Ev0003", 0))
			require.Equal(t, http.StatusOK, h.click("UANNA", "3"))
			require.Contains(t, h.fake.last(t, "DUANNA").Blocks, "Your check-in")
			require.Equal(t, http.StatusOK, h.click("UANNA", "Submit"))

			r = h.f.Round(anna.ID, "2026-W48")
			require.Equal(t, store.StatusSubmitted, r.Status)
			require.Equal(t, 3, r.Mood)
			require.Len(t, r.Answers, 3)

			summary := h.fake.last(t, "DULEAD")
			require.Equal(t, "chat.postMessage", summary.Method)
			require.Contains(t, summary.Blocks, "Anna")
			require.Contains(t, summary.blocks(t), "Shipped &lt;!channel&gt; &amp; &lt;@U999&gt; &lt;b&gt; &amp; more",
				"the answer reaches the manager escaped: it pings nobody")
			require.NotContains(t, summary.blocks(t), "<!channel>")
			require.NotContains(t, summary.blocks(t), "<@U999>")
			review := summary.button(t, "Mark reviewed")
			require.NotEmpty(t, review.Value)

			require.Equal(t, http.StatusOK, h.clickOn("ULEAD", summary, review))
			require.Equal(t, lead.ID, h.f.Round(anna.ID, "2026-W48").ReviewedBy)
			require.True(t, strings.Contains(h.fake.last(t, "DUANNA").Blocks, "reviewed"), h.fake.last(t, "DUANNA").Blocks)
			require.Zero(t, h.fake.called("conversations.open"), "direct messages name the user: no conversations.open")
		})
	}
}

// "Answer in a form" through Slack: the click opens a modal with every
// question, and its submission fills the check-in, which then goes to the
// review like any other.
func TestFormCheckinThroughSlack(t *testing.T) {
	h := newHarness(t, enginetest.Embedded)
	ctx := context.Background()
	lead := h.f.Add("Lead", bot.LocaleEN, "Europe/Berlin", 0, bot.RoleManager, user("ULEAD"))
	anna := h.f.Add("Anna", bot.LocaleEN, "Asia/Shanghai", lead.ID, bot.RoleEmployee, user("UANNA"))
	_, err := h.f.Engine.Open(ctx, anna.ID, "")
	require.NoError(t, err)

	require.Equal(t, http.StatusOK, h.click("UANNA", "Answer in a form"))
	views := h.fake.opened()
	require.Len(t, views, 1, "the modal opened on the click's trigger")
	var view struct {
		Title           struct{ Text string }
		PrivateMetadata string `json:"private_metadata"`
		Blocks          []struct {
			BlockID string `json:"block_id"`
		}
	}
	require.NoError(t, json.Unmarshal(views[0].View, &view))
	require.Equal(t, "Check-in 2026-W48", view.Title.Text)
	var keys []string
	for _, b := range view.Blocks {
		keys = append(keys, b.BlockID)
	}
	require.Equal(t, []string{"q_done", "q_blockers", "q_next", "mood"}, keys)

	text := func(v string) map[string]any {
		return map[string]any{"value": map[string]any{"type": "plain_text_input", "value": v}}
	}
	payload, err := json.Marshal(map[string]any{
		"type": "view_submission", "trigger_id": "trigger-form",
		"team": map[string]any{"id": team}, "user": map[string]any{"id": "UANNA", "team_id": team},
		"view": map[string]any{
			"id": "V0FORM", "hash": "1.abc", "type": "modal", "team_id": team, "callback_id": "perfbot_form",
			"private_metadata": view.PrivateMetadata,
			"state": map[string]any{"values": map[string]any{
				"q_done": text("Shipped the importer"), "q_blockers": text(""), "q_next": text("Exporter"),
				"mood": map[string]any{"value": map[string]any{"type": "static_select", "selected_option": map[string]any{"value": "4"}}},
			}},
		},
	})
	require.NoError(t, err)
	code, body := h.signed("/slack/interactions", "application/x-www-form-urlencoded", []byte(url.Values{"payload": {string(payload)}}.Encode()), nil)
	require.Equal(t, http.StatusOK, code)
	require.Empty(t, body, "the modal closes")

	r := h.f.Round(anna.ID, "2026-W48")
	require.Equal(t, "Shipped the importer", r.Answer(store.QuestionDone))
	require.Equal(t, 4, r.Mood)
	// Blockers were left empty, so perfbot asks for them in the DM, then the review.
	require.Contains(t, h.fake.last(t, "DUANNA").Blocks, "Any blockers?")
	require.Equal(t, http.StatusOK, h.say("UANNA", "none", "EvForm1", 0))
	require.Contains(t, h.fake.last(t, "DUANNA").Blocks, "Your check-in")
	require.Equal(t, http.StatusOK, h.click("UANNA", "Submit"))
	require.Equal(t, store.StatusSubmitted, h.f.Round(anna.ID, "2026-W48").Status)
}
