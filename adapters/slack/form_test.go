package slack_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/perfbot/perfbot/adapters/slack"
	"github.com/perfbot/perfbot/bot"
	"github.com/perfbot/perfbot/internal/enginetest"
)

// rig is the adapter mounted on a server, talking to a fake Slack, its
// clock moved by hand, handing events to a recorder.
type rig struct {
	t     *testing.T
	fake  *fakeSlack
	clock *fakeTime
	ad    *slack.Adapter
	srv   string
	rec   *recorder
	logs  *bytes.Buffer
}

func newRig(t *testing.T, opts slack.Options) *rig {
	r := &rig{t: t, fake: newFakeSlack(t), clock: &fakeTime{now: enginetest.Start}, rec: &recorder{}, logs: &bytes.Buffer{}}
	opts.Config = slack.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: r.fake.GetAPIURL()}
	opts.Clock, opts.Sleep = r.clock.Now, r.clock.Sleep
	opts.Logger = slog.New(slog.NewJSONHandler(r.logs, nil))
	ad, err := slack.New(opts)
	require.NoError(t, err)
	r.ad = ad
	mux := http.NewServeMux()
	ad.Mount(mux, r.rec)
	r.srv = newServer(t, mux).URL
	return r
}

// post signs body at the rig's time, posts it, and waits until what was
// acknowledged is handled. It returns the status and the body of the answer.
func (r *rig) post(path, body string) (int, string) {
	r.t.Helper()
	ts := unix(r.clock.Now())
	req, err := http.NewRequest(http.MethodPost, r.srv+path, strings.NewReader(body))
	require.NoError(r.t, err)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slack.Sign(secret, ts, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(r.t, err)
	defer resp.Body.Close()
	var out bytes.Buffer
	_, err = out.ReadFrom(resp.Body)
	require.NoError(r.t, err)
	return resp.StatusCode, out.String()
}

// interact posts an interaction payload as Slack does: form-encoded JSON.
func (r *rig) interact(payload map[string]any) (int, string) {
	r.t.Helper()
	b, err := json.Marshal(payload)
	require.NoError(r.t, err)
	return r.post("/slack/interactions", url.Values{"payload": {string(b)}}.Encode())
}

// click delivers a block_actions click on a card in USAM's DM.
func (r *rig) click(triggerID, actionTS, value string) bot.Event {
	r.t.Helper()
	before := len(r.rec.Events())
	code, _ := r.interact(map[string]any{
		"type": "block_actions", "trigger_id": triggerID,
		"team":      map[string]any{"id": team},
		"user":      map[string]any{"id": "USAM", "team_id": team},
		"container": map[string]any{"type": "message", "channel_id": "DUSAM", "message_ts": "1795766400.000001"},
		"actions": []map[string]any{{"type": "button", "action_id": "perfbot_1", "block_id": "perfbot_actions",
			"value": value, "action_ts": actionTS}},
	})
	require.Equal(r.t, http.StatusOK, code)
	evs := r.rec.Events()
	require.Len(r.t, evs, before+1)
	return evs[before]
}

var checkinForm = bot.Form{
	Title:  "Weekly check-in for 2026-W48 (Anna)",
	Submit: "Send",
	Value:  "form:12:3",
	Fields: []bot.FormField{
		{Key: "done", Label: "What did you get done?", Hint: "A line or two", Multiline: true,
			Value: "Shipped <b> & told @here"},
		{Key: "blockers", Label: "Anything blocking you?", Optional: true, MaxLength: 500},
		{Key: "mood", Label: "How was your week?", Value: "4", Choices: []bot.Choice{
			{Label: "1 · rough", Value: "1"}, {Label: "4 · good", Value: "4"}, {Label: "5 · great", Value: "5"}}},
	},
}

// A click's trigger opens the form as a modal: one input per field,
// prefilled as typed, the choices as a select with the current one chosen,
// and the form's value kept for the submission.
func TestClickOpensForm(t *testing.T) {
	r := newRig(t, slack.Options{})
	ev := r.click("trig-1", "1795766400.000100", "formopen:12:3")

	require.NoError(t, r.ad.OpenForm(t.Context(), ev, checkinForm))
	views := r.fake.opened()
	require.Len(t, views, 1)
	require.Equal(t, "trig-1", views[0].TriggerID)

	var view struct {
		Type            string `json:"type"`
		CallbackID      string `json:"callback_id"`
		PrivateMetadata string `json:"private_metadata"`
		Title, Submit   struct{ Type, Text string }
		Blocks          []struct {
			Type     string `json:"type"`
			BlockID  string `json:"block_id"`
			Optional bool   `json:"optional"`
			Label    struct{ Text string }
			Element  struct {
				Type         string `json:"type"`
				ActionID     string `json:"action_id"`
				InitialValue string `json:"initial_value"`
				Multiline    bool   `json:"multiline"`
				MaxLength    int    `json:"max_length"`
				Placeholder  *struct{ Text string }
				Options      []struct {
					Value string
					Text  struct{ Text string }
				}
				InitialOption *struct{ Value string } `json:"initial_option"`
			} `json:"element"`
		}
	}
	require.NoError(t, json.Unmarshal(views[0].View, &view), string(views[0].View))
	require.Equal(t, "modal", view.Type)
	require.Equal(t, "perfbot_form", view.CallbackID)
	require.Equal(t, "plain_text", view.Title.Type)
	require.Equal(t, "Weekly check-in for 202…", view.Title.Text, "cut to Slack's 24 characters")
	require.Equal(t, "Send", view.Submit.Text)
	require.Len(t, view.Blocks, 3)

	done := view.Blocks[0]
	require.Equal(t, "input", done.Type)
	require.Equal(t, "done", done.BlockID)
	require.False(t, done.Optional)
	require.Equal(t, "What did you get done?", done.Label.Text)
	require.Equal(t, "plain_text_input", done.Element.Type)
	require.True(t, done.Element.Multiline)
	require.Equal(t, "Shipped <b> & told @here", done.Element.InitialValue, "the person's own text, unescaped")
	require.Equal(t, "A line or two", done.Element.Placeholder.Text)
	require.Equal(t, 3000, done.Element.MaxLength)

	blockers := view.Blocks[1]
	require.True(t, blockers.Optional)
	require.False(t, blockers.Element.Multiline)
	require.Equal(t, 500, blockers.Element.MaxLength)
	require.Empty(t, blockers.Element.InitialValue)
	require.Nil(t, blockers.Element.Placeholder)

	mood := view.Blocks[2]
	require.Equal(t, "static_select", mood.Element.Type)
	require.Len(t, mood.Element.Options, 3)
	require.Equal(t, "5", mood.Element.Options[2].Value)
	require.Equal(t, "5 · great", mood.Element.Options[2].Text.Text)
	require.NotNil(t, mood.Element.InitialOption)
	require.Equal(t, "4", mood.Element.InitialOption.Value)

	var meta map[string]string
	require.NoError(t, json.Unmarshal([]byte(view.PrivateMetadata), &meta))
	require.Equal(t, "form:12:3", meta["v"])
	require.Equal(t, "DUSAM/1795766400.000001", meta["r"], "the card the form answers")

	// Slack takes a trigger once.
	require.ErrorIs(t, r.ad.OpenForm(t.Context(), ev, checkinForm), slack.ErrNoTrigger)
	require.Len(t, r.fake.opened(), 1)
}

// Without a live trigger there is no modal, and the error says so: the
// engine asks in chat instead.
func TestOpenFormWithoutTrigger(t *testing.T) {
	r := newRig(t, slack.Options{})

	err := r.ad.OpenForm(t.Context(), bot.Event{ID: "Ev1", From: user("USAM")}, checkinForm)
	require.ErrorIs(t, err, slack.ErrNoTrigger, "not a click")

	late := r.click("trig-2", "1795766400.000200", "formopen:12:3")
	r.clock.Sleep(t.Context(), 3*time.Second)
	require.ErrorIs(t, r.ad.OpenForm(t.Context(), late, checkinForm), slack.ErrNoTrigger, "expired")
	require.Empty(t, r.fake.opened(), "Slack is not asked with a dead trigger")

	r.fake.fail("views.open", "expired_trigger_id")
	refused := r.click("trig-3", "1795766400.000300", "formopen:12:3")
	require.ErrorIs(t, r.ad.OpenForm(t.Context(), refused, checkinForm), slack.ErrNoTrigger, "Slack says it expired")
	require.NotContains(t, r.logs.String(), "xoxb-test")
}

// submission is a view_submission of the check-in form, as Slack sends it.
func submission(callbackID string) map[string]any {
	return map[string]any{
		"type": "view_submission", "trigger_id": "trig-9",
		"team": map[string]any{"id": team},
		"user": map[string]any{"id": "USAM", "team_id": team},
		"view": map[string]any{
			"id": "V0FORM", "hash": "1795766400.xyz", "type": "modal", "team_id": team,
			"callback_id":      callbackID,
			"private_metadata": `{"v":"form:12:3","r":"DUSAM/1795766400.000001"}`,
			"state": map[string]any{"values": map[string]any{
				"done":     map[string]any{"value": map[string]any{"type": "plain_text_input", "value": "Shipped <!channel> & <b>"}},
				"blockers": map[string]any{"value": map[string]any{"type": "plain_text_input", "value": nil}},
				"mood": map[string]any{"value": map[string]any{"type": "static_select",
					"selected_option": map[string]any{"value": "5", "text": map[string]any{"type": "plain_text", "text": "5 · great"}}}},
			}},
		},
	}
}

// A submitted form is the click on its card, with the answers as typed;
// the modal closes on the empty acknowledgement, and a redelivery is the
// same event.
func TestFormSubmission(t *testing.T) {
	r := newRig(t, slack.Options{})
	code, body := r.interact(submission("perfbot_form"))
	require.Equal(t, http.StatusOK, code)
	require.Empty(t, body, "an empty 200 closes the modal")

	evs := r.rec.Events()
	require.Len(t, evs, 1)
	ev := evs[0]
	require.Equal(t, bot.KindAction, ev.Kind)
	require.Equal(t, "form:12:3", ev.Action)
	require.Equal(t, user("USAM"), ev.From)
	require.Equal(t, bot.MessageRef("DUSAM/1795766400.000001"), ev.Ref)
	require.False(t, ev.Group)
	require.Equal(t, map[string]string{"done": "Shipped <!channel> & <b>", "blockers": "", "mood": "5"}, ev.Values)
	require.Equal(t, "view:V0FORM:1795766400.xyz", ev.ID)

	_, _ = r.interact(submission("perfbot_form"))
	evs = r.rec.Events()
	require.Len(t, evs, 2)
	require.Equal(t, ev.ID, evs[1].ID, "a redelivery is handled once by the engine")

	_, _ = r.interact(submission("someone_elses_modal"))
	require.Len(t, r.rec.Events(), 2, "only perfbot's forms are handed on")
}
